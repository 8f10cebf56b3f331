// The worker's housekeeping of security records: rate-limit hits past every window and
// session rows past their lifetime (sign-in attempts would otherwise grow the table forever).
import "server-only";
import { log } from "@/server/log";
import { purgeRateLimitHits } from "@/server/rate-limit/rate-limit";
import { purgeSessions } from "@/server/auth/sessions";

export const PURGE_EVERY_MS = 60 * 60_000;

export async function purgeSecurityRows(now = new Date()): Promise<{ hits: number; sessions: number }> {
  const [hits, sessions] = [await purgeRateLimitHits(), await purgeSessions(now)];
  if (hits + sessions > 0) log.info("purged security rows", { rateLimitHits: hits, sessions });
  return { hits, sessions };
}

/** Purges now and then every hour until stopped. */
export function startSecurityPurge(): { stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    purgeSecurityRows()
      .catch((error: unknown) => log.error("purging security rows failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        timer = setTimeout(run, PURGE_EVERY_MS);
        timer.unref();
      });
  };
  run();
  return { stop: () => clearTimeout(timer) };
}
