// Rollups: raw samples into 5-minute buckets, 5-minute buckets into hours. Each run
// recomputes whole buckets from the finer tier (an upsert), so it is idempotent: running it
// twice, or again after a crash, gives the same rows. The current bucket is included
// while it fills, so charts are never more than one run behind.
import "server-only";
import { db } from "@/server/db/client";

export const FIVE_MINUTES = 300;
export const HOUR = 3600;

export function floorTo(date: Date, seconds: number): Date {
  const ms = seconds * 1000;
  return new Date(Math.floor(date.getTime() / ms) * ms);
}

/** Recomputes every 5-minute and hourly bucket that overlaps [from, to). */
export async function rollupLoad(from: Date, to: Date): Promise<{ fiveMinute: number; hourly: number }> {
  const fiveFrom = floorTo(from, FIVE_MINUTES).toISOString();
  const hourFrom = floorTo(from, HOUR).toISOString();
  const until = to.toISOString();
  // Buckets are aligned to UTC (date_bin from 2000-01-01 00:00, a Saturday at midnight).
  const fiveMinute = await db.$executeRaw`
    INSERT INTO "LoadRollup" ("communityId", "resolution", "bucket", "samples", "cpuAvg", "cpuMax",
      "memoryAvg", "memoryMax", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "diskBytes")
    SELECT "communityId", 300, date_bin('5 minutes', "at", TIMESTAMP '2000-01-01'), count(*)::int,
      avg("cpuPercent"), max("cpuPercent"), round(avg("memoryBytes"))::bigint, max("memoryBytes"),
      avg("netRxBps"), avg("netTxBps"), avg("diskReadBps"), avg("diskWriteBps"), max("diskBytes")
    FROM "LoadSample"
    WHERE "at" >= ${fiveFrom}::timestamp(3) AND "at" < ${until}::timestamp(3)
    GROUP BY 1, 3
    ON CONFLICT ("communityId", "resolution", "bucket") DO UPDATE SET
      "samples" = EXCLUDED."samples", "cpuAvg" = EXCLUDED."cpuAvg", "cpuMax" = EXCLUDED."cpuMax",
      "memoryAvg" = EXCLUDED."memoryAvg", "memoryMax" = EXCLUDED."memoryMax",
      "netRxBps" = EXCLUDED."netRxBps", "netTxBps" = EXCLUDED."netTxBps",
      "diskReadBps" = EXCLUDED."diskReadBps", "diskWriteBps" = EXCLUDED."diskWriteBps",
      "diskBytes" = EXCLUDED."diskBytes"`;
  // Hours from 5-minute buckets, weighted by their sample counts.
  const hourly = await db.$executeRaw`
    INSERT INTO "LoadRollup" ("communityId", "resolution", "bucket", "samples", "cpuAvg", "cpuMax",
      "memoryAvg", "memoryMax", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "diskBytes")
    SELECT "communityId", 3600, date_bin('1 hour', "bucket", TIMESTAMP '2000-01-01'), sum("samples")::int,
      sum("cpuAvg" * "samples") / sum("samples"), max("cpuMax"),
      round(sum("memoryAvg"::numeric * "samples") / sum("samples"))::bigint, max("memoryMax"),
      sum("netRxBps" * "samples") / sum("samples"), sum("netTxBps" * "samples") / sum("samples"),
      sum("diskReadBps" * "samples") / sum("samples"), sum("diskWriteBps" * "samples") / sum("samples"),
      max("diskBytes")
    FROM "LoadRollup"
    WHERE "resolution" = 300 AND "bucket" >= ${hourFrom}::timestamp(3) AND "bucket" < ${until}::timestamp(3)
    GROUP BY 1, 3
    ON CONFLICT ("communityId", "resolution", "bucket") DO UPDATE SET
      "samples" = EXCLUDED."samples", "cpuAvg" = EXCLUDED."cpuAvg", "cpuMax" = EXCLUDED."cpuMax",
      "memoryAvg" = EXCLUDED."memoryAvg", "memoryMax" = EXCLUDED."memoryMax",
      "netRxBps" = EXCLUDED."netRxBps", "netTxBps" = EXCLUDED."netTxBps",
      "diskReadBps" = EXCLUDED."diskReadBps", "diskWriteBps" = EXCLUDED."diskWriteBps",
      "diskBytes" = EXCLUDED."diskBytes"`;
  return { fiveMinute, hourly };
}

const WATERMARK = "metrics.rollup.from";

/**
 * The worker's periodic run: from where the last run left off (its last bucket again, as
 * it may have filled since) up to now.
 */
export async function rollupSinceLastRun(now = new Date()): Promise<{ fiveMinute: number; hourly: number }> {
  const stored = await db.setting.findUnique({ where: { key: WATERMARK } });
  let from = typeof stored?.value === "string" ? new Date(stored.value) : null;
  if (!from || Number.isNaN(from.getTime())) {
    const oldest = await db.loadSample.findFirst({ orderBy: { at: "asc" }, select: { at: true } });
    from = oldest?.at ?? now;
  }
  const result = await rollupLoad(from, now);
  const next = new Date(floorTo(now, FIVE_MINUTES).getTime() - FIVE_MINUTES * 1000).toISOString();
  await db.setting.upsert({ where: { key: WATERMARK }, create: { key: WATERMARK, value: next }, update: { value: next } });
  return result;
}
