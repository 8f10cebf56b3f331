// next-auth configuration for /api/auth/*: JWT sessions in next-auth's cookie, the
// credentials provider (same checks and limits as our sign-in form) and the OAuth
// providers whose env variables are set.
import "server-only";
import type { AuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { AppError } from "@/server/errors/app-error";
import { log } from "@/server/log";
import { hearthAdapter } from "./adapter";
import { clientAddress } from "./client-address";
import { oauthProviders } from "./oauth-providers";
import { signInSchema } from "./schemas";
import { SESSION_MAX_AGE_SECONDS, sessionCookie, sessionSecret } from "./session-cookie";
import { revokeSession } from "./sessions";
import { verifyCredentials } from "./sign-in";

// Error codes next-auth puts into /sign-in?error=...; the page maps them to messages.
export const CREDENTIALS_RATE_LIMITED = "RateLimited";

export function authOptions(): AuthOptions {
  return {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    cookies: { sessionToken: sessionCookie() },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    adapter: hearthAdapter(),
    providers: [
      Credentials({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          try {
            return await verifyCredentials(parsed.data, { address: clientAddress(req.headers ?? {}) });
          } catch (error) {
            if (error instanceof AppError && error.code === "RATE_LIMITED") throw new Error(CREDENTIALS_RATE_LIMITED);
            if (error instanceof AppError) return null;
            throw error;
          }
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // After sign-in, go only to pages of this Hearth.
      redirect({ url, baseUrl }) {
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          return new URL(url).origin === baseUrl ? url : baseUrl;
        } catch {
          return baseUrl;
        }
      },
    },
    events: {
      async signOut({ token }) {
        await revokeSession(token);
      },
    },
    logger: {
      error: (code, metadata) => log.error("next-auth error", { code, detail: String(metadata instanceof Error ? metadata.message : code) }),
      warn: (code) => log.warn("next-auth warning", { code }),
      debug: () => {},
    },
  };
}
