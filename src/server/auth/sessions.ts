import "server-only";
import type { JWT } from "next-auth/jwt";
import { db } from "@/server/db/client";
import { toActor } from "./actor";
import type { Actor } from "./permissions";
import { sessionEnded } from "./end-sessions";
import { decodeSession } from "./session-cookie";

/** The signed-in person behind a session cookie value, re-read from the database. */
export async function actorFromSession(value: string | undefined): Promise<Actor | null> {
  const token = await decodeSession(value);
  if (!token?.sub) return null;
  if (typeof token.jti === "string" && (await db.revokedSession.findUnique({ where: { jti: token.jti } }))) return null;
  const user = await db.user.findUnique({
    where: { id: token.sub },
    select: { id: true, email: true, name: true, isHostAdmin: true, sessionsValidFrom: true },
  });
  // Every session of the account was ended after this one began (a password reset).
  if (!user || sessionEnded(token.iat, user.sessionsValidFrom)) return null;
  return toActor(user);
}

/** Ends a session for good: the token id is refused from now on, even if the cookie is replayed. */
export async function revokeSession(token: JWT | null): Promise<void> {
  if (!token || typeof token.jti !== "string") return;
  const expiresAt = new Date(typeof token.exp === "number" ? token.exp * 1000 : Date.now() + 31 * 86_400_000);
  await db.revokedSession.upsert({ where: { jti: token.jti }, create: { jti: token.jti, expiresAt }, update: {} });
  // Revocations of tokens that have expired anyway are no longer needed.
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}
