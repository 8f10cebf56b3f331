// Rate limits kept in PostgreSQL, so they hold across processes and restarts. An attempt
// is counted under an advisory lock on its bucket and key: concurrent attempts cannot all
// slip past the limit between "count" and "record".
import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/server/db/client";

/**
 * At most `max` counted attempts per key within `windowSeconds`. With `delaySeconds`, an
 * attempt also waits that long after the newest counted one, given how many are counted
 * (a progressive delay that costs the server nothing: the early attempt is simply refused).
 */
export type Limit = { bucket: string; max: number; windowSeconds: number; delaySeconds?: (counted: number) => number };

export type Consumed =
  | { allowed: true; hitId: bigint }
  | { allowed: false; retryAfterSeconds: number };

/** Stable key for a secret-ish identifier (an email): the table never holds the raw value. */
export function hashedKey(value: string): string {
  return createHash("sha256").update(value.trim().toLowerCase()).digest("hex");
}

/** Counts one attempt if the limit allows it; a refused attempt is not counted. */
export async function consume(limit: Limit, key: string): Promise<Consumed> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${limit.bucket}:${key}`}, 0))`;
    // Old hits of this key are useless; drop them while holding the lock.
    await tx.$executeRaw`DELETE FROM "RateLimitHit" WHERE bucket = ${limit.bucket} AND key = ${key}
      AND "createdAt" <= now() - make_interval(secs => ${limit.windowSeconds})`;
    const [row] = await tx.$queryRaw<{ count: number; oldest: Date | null; newest: Date | null; now: Date }[]>`
      SELECT count(*)::int AS count, min("createdAt") AS oldest, max("createdAt") AS newest, now() AS now FROM "RateLimitHit"
      WHERE bucket = ${limit.bucket} AND key = ${key}`;
    const now = row?.now.getTime() ?? Date.now();
    if (row && row.count >= limit.max) {
      const freeAt = (row.oldest?.getTime() ?? now) + limit.windowSeconds * 1000;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    }
    const delay = row?.newest && limit.delaySeconds ? limit.delaySeconds(row.count) : 0;
    if (row?.newest && delay > 0 && row.newest.getTime() + delay * 1000 > now) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((row.newest.getTime() + delay * 1000 - now) / 1000)) };
    }
    const [hit] = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "RateLimitHit" (bucket, key, "createdAt") VALUES (${limit.bucket}, ${key}, now()) RETURNING id`;
    return { allowed: true, hitId: hit!.id };
  });
}

/** Takes back one counted attempt (e.g. a sign-in that turned out to be right). */
export async function release(hitId: bigint): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { id: hitId } });
}

/** Forgets every counted attempt of a key (e.g. failures of an account after it signed in). */
export async function reset(limit: Limit, key: string): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { bucket: limit.bucket, key } });
}

/** Worker housekeeping: hits older than two days (longer than any window, the longest is a day) are dropped. */
export async function purgeRateLimitHits(olderThanSeconds = 2 * 86_400): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimitHit" WHERE "createdAt" < now() - make_interval(secs => ${olderThanSeconds})`;
}

export function minutesText(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? "a second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}
