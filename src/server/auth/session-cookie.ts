// The session cookie is next-auth's own JWT (same name, format and secret), whether it was
// issued by next-auth (OAuth, /api/auth/callback/credentials) or by our sign-in actions. It
// names the session row ("sid"); the row decides whether it still counts (sessions.ts).
import "server-only";
import { decode, encode, type JWT } from "next-auth/jwt";
import { env } from "@/server/config/env";
import { MEMBER_SESSION } from "./session-policy";

export const SESSION_MAX_AGE_SECONDS = MEMBER_SESSION.absoluteSeconds;

/**
 * Host-only: no Domain attribute, so the instances under the panel's parent domain never get
 * it; over HTTPS the `__Host-` prefix makes browsers refuse any Domain or a path other than /.
 */
export function sessionCookie() {
  const secure = (env().NEXTAUTH_URL ?? "").startsWith("https://");
  return {
    name: `${secure ? "__Host-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}

export function sessionSecret(): string {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set (npm start generates one; set it when running otherwise).");
  return secret;
}

export function encodeSession(user: { id: string; email: string; name: string | null }, sessionId: string): Promise<string> {
  return encode({
    token: { sub: user.id, sid: sessionId, email: user.email, name: user.name },
    secret: sessionSecret(),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

/** The session token's claims, or null when it is missing, forged, expired or unreadable. */
export async function decodeSession(value: string | undefined): Promise<JWT | null> {
  if (!value) return null;
  try {
    const token = await decode({ token: value, secret: sessionSecret() });
    if (!token || typeof token.sub !== "string") return null;
    if (typeof token.exp === "number" && token.exp * 1000 < Date.now()) return null;
    return token;
  } catch {
    return null;
  }
}

/** next-auth splits cookies above 4 kB into name.0, name.1, ...; join them back. */
export function readSessionValue(get: (name: string) => string | undefined): string | undefined {
  const { name } = sessionCookie();
  const whole = get(name);
  if (whole) return whole;
  let joined = "";
  for (let i = 0; i < 10; i++) {
    const part = get(`${name}.${i}`);
    if (part === undefined) break;
    joined += part;
  }
  return joined || undefined;
}
