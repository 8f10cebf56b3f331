// next-auth configuration for /api/auth/*: JWT sessions in next-auth's cookie, the
// credentials provider (same checks and limits as our sign-in form) and the OAuth
// providers whose env variables are set.
import "server-only";
import type { AuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { safeRedirectPath } from "@/lib/redirect-target";
import { AppError } from "@/server/errors/app-error";
import { log } from "@/server/log";
import { hearthAdapter } from "./adapter";
import { clientAddress } from "./client-address";
import { oauthProviders } from "./oauth-providers";
import { signInSchema } from "./schemas";
import { currentOrigin } from "./session-actions";
import { SESSION_MAX_AGE_SECONDS, sessionCookie, sessionSecret } from "./session-cookie";
import { createUserSession, endSessionOfToken, resolveSession } from "./sessions";
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
      // After sign-in, go only to pages of this Hearth (the one redirect rule, src/lib).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeRedirectPath(url, "/dashboard", baseUrl)}`;
      },
      // Every read or refresh of the cookie by next-auth passes here (/api/auth/session
      // included). A sign-in starts a session row; otherwise the row must still be live,
      // else throwing makes next-auth answer "no session" and clear the cookie.
      async jwt({ token, user, account }) {
        if (user) {
          const method = account?.provider && account.provider !== "credentials" ? `oauth:${account.provider}` : "password";
          return { sub: user.id, email: user.email, name: user.name, sid: await createUserSession(user.id, await currentOrigin(method)) };
        }
        if (!(await resolveSession(token))) throw new Error("session ended");
        return token;
      },
      // What /api/auth/session shows: name and email only.
      session({ session }) {
        return { expires: session.expires, user: { name: session.user?.name ?? null, email: session.user?.email ?? null } };
      },
    },
    events: {
      async signOut({ token }) {
        await endSessionOfToken(token);
      },
    },
    logger: {
      error: (code, metadata) => log.error("next-auth error", { code, detail: String(metadata instanceof Error ? metadata.message : code) }),
      warn: (code) => log.warn("next-auth warning", { code }),
      debug: () => {},
    },
  };
}
