// Retention: raw samples for a few hours, 5-minute rollups for about a week, hourly ones
// for about a year (see METRICS_*_RETENTION). Deletes in batches so a large backlog never
// holds one huge transaction.
import "server-only";
import { db } from "@/server/db/client";
import type { MetricsConfig } from "./config";

const BATCH = 50_000;

async function inBatches(remove: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await remove();
    total += removed;
    if (removed < BATCH) return total;
  }
}

export async function pruneLoad(
  now: Date,
  config: Pick<MetricsConfig, "rawRetentionMs" | "fiveMinuteRetentionMs" | "hourlyRetentionMs">,
): Promise<{ raw: number; fiveMinute: number; hourly: number }> {
  const rawBefore = new Date(now.getTime() - config.rawRetentionMs).toISOString();
  const raw = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "LoadSample" WHERE ctid IN (
        SELECT ctid FROM "LoadSample" WHERE "at" < ${rawBefore}::timestamp(3) LIMIT ${BATCH})`,
  );
  const rollups = async (resolution: number, keepMs: number) => {
    const before = new Date(now.getTime() - keepMs).toISOString();
    return inBatches(
      () => db.$executeRaw`
        DELETE FROM "LoadRollup" WHERE ctid IN (
          SELECT ctid FROM "LoadRollup"
          WHERE "resolution" = ${resolution} AND "bucket" < ${before}::timestamp(3) LIMIT ${BATCH})`,
    );
  };
  return {
    raw,
    fiveMinute: await rollups(300, config.fiveMinuteRetentionMs),
    hourly: await rollups(3600, config.hourlyRetentionMs),
  };
}
