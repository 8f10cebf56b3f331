// The worker's housekeeping of security records: rate-limit hits past every window and
// session rows past their lifetime (sign-in attempts would otherwise grow the table forever).
import "server-only";
import { log } from "@/server/log";
import { purgeRateLimitHits } from "@/server/rate-limit/rate-limit";
import { purgeSessions } from "@/server/auth/sessions";
import { repeat, type Repeating } from "@/server/worker/repeat";

export const PURGE_EVERY_MS = 60 * 60_000;

export async function purgeSecurityRows(now = new Date()): Promise<{ hits: number; sessions: number }> {
  const [hits, sessions] = [await purgeRateLimitHits(), await purgeSessions(now)];
  if (hits + sessions > 0) log.info("purged security rows", { rateLimitHits: hits, sessions });
  return { hits, sessions };
}

/** Purges now and then every hour until stopped. */
export function startSecurityPurge(): Repeating {
  return repeat("purging security rows", purgeSecurityRows, { everyMs: () => PURGE_EVERY_MS, stopWaitMs: 5_000 });
}
