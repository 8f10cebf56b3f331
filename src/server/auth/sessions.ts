// Sessions are rows (UserSession); next-auth's JWT cookie carries only the row's id ("sid").
// Every path that reads a session comes here: our pages and actions through getActor(), and
// next-auth's own /api/auth/session through its jwt callback (auth-options.ts). A row that
// was ended, or whose idle or absolute time ran out, makes its cookie nobody's.
import "server-only";
import type { JWT } from "next-auth/jwt";
import { db } from "@/server/db/client";
import { isNamedHostAdmin, toActor } from "./actor";
import type { Actor } from "./permissions";
import { HOST_ADMIN_SESSION, LAST_SEEN_EVERY_SECONDS, MEMBER_SESSION, type SessionLimits } from "./session-policy";
import { decodeSession } from "./session-cookie";

export type SessionOrigin = { method: string; address: string; userAgent: string | null };

export type EndReason = "signed-out" | "signed-out-everywhere" | "ended-by-user" | "password-changed" | "password-reset" | "idle" | "expired";

const userFields = { id: true, email: true, name: true, isHostAdmin: true, emailVerified: true } as const;

/** Starts a session row for a person who just proved who they are; returns its id. */
export async function createUserSession(userId: string, origin: SessionOrigin, now = new Date()): Promise<string> {
  const row = await db.userSession.create({
    data: {
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + MEMBER_SESSION.absoluteSeconds * 1000),
      method: origin.method.slice(0, 40),
      addressKey: origin.address.slice(0, 64),
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
    },
    select: { id: true },
  });
  return row.id;
}

export function limitsFor(user: { email: string; isHostAdmin: boolean }): SessionLimits {
  return isNamedHostAdmin(user) ? HOST_ADMIN_SESSION : MEMBER_SESSION;
}

/** Why a live-looking row is over, at `now`; null while it lasts. */
export function timedOut(row: { createdAt: Date; lastSeenAt: Date }, limits: SessionLimits, now: Date): EndReason | null {
  if (now.getTime() - row.createdAt.getTime() >= limits.absoluteSeconds * 1000) return "expired";
  if (now.getTime() - row.lastSeenAt.getTime() >= limits.idleSeconds * 1000) return "idle";
  return null;
}

export type LiveSession = { id: string; actor: Actor };

/**
 * The live session behind a decoded token: checks the row (ended, idle, absolute lifetime),
 * marks it seen, and returns the person as an Actor whose admin rights depend on this
 * session's second factor. Null for anything else.
 */
export async function resolveSession(token: JWT | null, now = new Date()): Promise<LiveSession | null> {
  if (!token?.sub || typeof token.sid !== "string") return null;
  const row = await db.userSession.findUnique({
    where: { id: token.sid },
    select: {
      id: true,
      userId: true,
      createdAt: true,
      lastSeenAt: true,
      endedAt: true,
      secondFactorAt: true,
      user: { select: { ...userFields, totp: { select: { confirmedAt: true } } } },
    },
  });
  if (!row || row.endedAt || row.userId !== token.sub) return null;
  const reason = timedOut(row, limitsFor(row.user), now);
  if (reason) {
    await endSessions({ id: row.id, endedAt: null }, reason, now);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_EVERY_SECONDS * 1000) {
    await db.userSession.updateMany({ where: { id: row.id, endedAt: null }, data: { lastSeenAt: now } });
  }
  const { totp, ...user } = row.user;
  const actor = toActor(user, {
    id: row.id,
    secondFactorEnrolled: Boolean(totp?.confirmedAt),
    secondFactorPassed: row.secondFactorAt !== null,
  });
  return { id: row.id, actor };
}

/** The signed-in person behind a session cookie value, re-read from the database. */
export async function actorFromSession(value: string | undefined, now = new Date()): Promise<Actor | null> {
  return (await resolveSession(await decodeSession(value), now))?.actor ?? null;
}

async function endSessions(where: { id?: string; userId?: string; NOT?: { id: string }; endedAt: null }, reason: EndReason, now = new Date()) {
  const { count } = await db.userSession.updateMany({ where, data: { endedAt: now, endedReason: reason } });
  return count;
}

/** Ends the session a token names (signing out); a replayed copy of its cookie is nobody's. */
export async function endSessionOfToken(token: JWT | null, reason: EndReason = "signed-out"): Promise<void> {
  if (token && typeof token.sid === "string" && typeof token.sub === "string") {
    await endSessions({ id: token.sid, userId: token.sub, endedAt: null }, reason);
  }
}

/** Ends one of a person's own sessions (from the list in account settings). */
export async function endOwnSession(userId: string, sessionId: string): Promise<boolean> {
  return (await endSessions({ id: sessionId, userId, endedAt: null }, "ended-by-user")) > 0;
}

/** Ends every session of a person but `keepId` (none kept when it is undefined). */
export async function endSessionsOf(userId: string, reason: EndReason, keepId?: string): Promise<number> {
  return endSessions({ userId, endedAt: null, ...(keepId ? { NOT: { id: keepId } } : {}) }, reason);
}

/** Records that this session passed the second factor. */
export async function markSecondFactorPassed(sessionId: string, now = new Date()): Promise<void> {
  await db.userSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { secondFactorAt: now } });
}

/** A person's live sessions, newest first, for the account settings page. */
export async function listOwnSessions(userId: string, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, isHostAdmin: true } });
  const rows = await db.userSession.findMany({
    where: { userId, endedAt: null },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, method: true, addressKey: true, userAgent: true, secondFactorAt: true },
    take: 100,
  });
  const limits = limitsFor(user);
  return rows.filter((row) => timedOut(row, limits, now) === null);
}

/** Whether `address` is one the person signed in from successfully within `days`. */
export async function knownAddress(userId: string, address: string, days = 30): Promise<boolean> {
  if (address === "unknown") return false;
  const since = new Date(Date.now() - days * 86_400_000);
  return (await db.userSession.count({ where: { userId, addressKey: address, createdAt: { gte: since } } })) > 0;
}

/** Worker housekeeping: rows past the longest lifetime, and ended rows after a week. */
export async function purgeSessions(now = new Date()): Promise<number> {
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const { count } = await db.userSession.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { endedAt: { lt: weekAgo } }] } });
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
