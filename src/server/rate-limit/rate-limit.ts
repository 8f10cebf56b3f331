// Rate limits kept in PostgreSQL, so they hold across processes and restarts. An attempt
// is counted under an advisory lock on its bucket and key: concurrent attempts cannot all
// slip past the limit between "count" and "record".
import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/server/db/client";

export type Limit = { bucket: string; max: number; windowSeconds: number };

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
    const [row] = await tx.$queryRaw<{ count: number; oldest: Date | null }[]>`
      SELECT count(*)::int AS count, min("createdAt") AS oldest FROM "RateLimitHit"
      WHERE bucket = ${limit.bucket} AND key = ${key}`;
    if (row && row.count >= limit.max) {
      const freeAt = (row.oldest?.getTime() ?? Date.now()) + limit.windowSeconds * 1000;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - Date.now()) / 1000)) };
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

export function minutesText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}
