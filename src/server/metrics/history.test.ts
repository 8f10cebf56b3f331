// Rollups, retention and chart queries on the real database, with synthetic timestamps
// in 2001 so nothing else in the database is touched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { getLoadChart } from "./get-load-chart";
import { pruneLoad } from "./prune-load";
import { rollupLoad } from "./rollup-load";
import { createFixtures } from "./test-fixtures";

const fx = createFixtures();
const T0 = Date.UTC(2001, 0, 1, 10, 0, 0); // a Monday, 10:00 UTC
const at = (seconds: number) => new Date(T0 + seconds * 1000);
let communityId: string;
let ownerId: string;

beforeAll(async () => {
  const plan = await fx.plan({ cpuMillis: 2000, memoryMb: 1024, diskGb: 10 });
  const community = await fx.community(plan.id);
  communityId = community.id;
  ownerId = community.ownerId;
  // Two hours of 15 s samples: CPU climbs 0, 1, 2, ... per sample; memory alternates 100/300 MB.
  const samples = Array.from({ length: 480 }, (_, i) => ({
    communityId,
    at: at(i * 15),
    cpuPercent: i,
    memoryBytes: BigInt((i % 2 === 0 ? 100 : 300) * 1e6),
    netRxBps: 1000,
    netTxBps: i < 240 ? 2000 : 4000,
    diskReadBps: 0,
    diskWriteBps: 10,
    diskBytes: BigInt(5e9 + i),
  }));
  await db.loadSample.createMany({ data: samples });
});

afterAll(() => db.$disconnect());

describe("rollups", () => {
  it("5-minute buckets average and peak their 20 samples; hours weigh their buckets", async () => {
    const result = await rollupLoad(at(0), at(7200));
    expect(result).toEqual({ fiveMinute: 24, hourly: 2 });
    const five = await db.loadRollup.findMany({ where: { communityId, resolution: 300 }, orderBy: { bucket: "asc" } });
    expect(five).toHaveLength(24);
    expect(five[0]).toMatchObject({ bucket: at(0), samples: 20, cpuMax: 19, memoryAvg: BigInt(200e6), memoryMax: BigInt(300e6) });
    expect(five[0]!.cpuAvg).toBeCloseTo(9.5, 5);
    expect(five[23]!.cpuAvg).toBeCloseTo(469.5, 3);
    expect(five[23]!.diskBytes).toBe(BigInt(5e9 + 479));

    const hours = await db.loadRollup.findMany({ where: { communityId, resolution: 3600 }, orderBy: { bucket: "asc" } });
    expect(hours.map((h) => [h.bucket, h.samples, h.cpuMax, h.netTxBps])).toEqual([
      [at(0), 240, 239, 2000],
      [at(3600), 240, 479, 4000],
    ]);
    expect(hours[0]!.cpuAvg).toBeCloseTo(119.5, 3);
  });

  it("running again over the same range changes nothing; a bucket that filled up is recomputed", async () => {
    await rollupLoad(at(0), at(7200));
    expect(await db.loadRollup.count({ where: { communityId } })).toBe(26);
    await db.loadSample.create({
      data: { communityId, at: at(7200 + 30), cpuPercent: 1000, memoryBytes: 1n, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0 },
    });
    await rollupLoad(at(7200), at(7300));
    const bucket = await db.loadRollup.findUniqueOrThrow({
      where: { communityId_resolution_bucket: { communityId, resolution: 3600, bucket: at(7200) } },
    });
    expect(bucket).toMatchObject({ samples: 1, cpuMax: 1000 });
  });
});

describe("charts", () => {
  const owner = () => ({ ownerId });

  it("reads raw samples for the hour, 5-minute buckets for the day, hours for the week", async () => {
    const now = at(7200);
    const hour = await getLoadChart({ communityId, range: "hour", access: owner(), now });
    expect(hour.points).toHaveLength(240); // 60 min of 15 s samples
    expect(hour.stepMs).toBe(15_000);
    expect(hour.limits).toEqual({ cpuPercent: 200, memoryBytes: 1024 * 1024 * 1024, diskBytes: 10 * 1024 ** 3 });
    const day = await getLoadChart({ communityId, range: "day", access: owner(), now });
    expect(day.points).toHaveLength(25);
    expect(day.points[0]).toMatchObject({ at: T0, cpuMax: 19, memoryBytes: 200e6, memoryMax: 300e6 });
    const week = await getLoadChart({ communityId, range: "week", access: owner(), now });
    expect(week.points.map((p) => p.at)).toEqual([T0, T0 + 3600_000, T0 + 7200_000]);
  });

  it("answers NOT_FOUND to someone outside the access filter", async () => {
    const stranger = await db.user.create({ data: { email: `stranger-${fx.run}@example.org` } });
    await expect(getLoadChart({ communityId, range: "day", access: { ownerId: stranger.id } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(getLoadChart({ communityId: "nope", range: "day", access: {} })).rejects.toBeInstanceOf(AppError);
  });
});

describe("retention", () => {
  it("drops raw samples after the raw window and rollups after theirs, keeping the rest", async () => {
    const config = { rawRetentionMs: 3600_000, fiveMinuteRetentionMs: 86_400_000, hourlyRetentionMs: 7 * 86_400_000 };
    const first = await pruneLoad(at(7200), config);
    expect(first.raw).toBe(240); // samples before 11:00
    expect(await db.loadSample.count({ where: { communityId } })).toBe(241);
    expect(first.fiveMinute).toBe(0);

    const dayLater = await pruneLoad(at(86_400 + 3600), config);
    expect(await db.loadSample.count({ where: { communityId } })).toBe(0);
    expect(dayLater.fiveMinute).toBeGreaterThanOrEqual(12);
    expect(await db.loadRollup.count({ where: { communityId, resolution: 300 } })).toBe(13); // 11:00-12:00 and 12:00
    expect(await db.loadRollup.count({ where: { communityId, resolution: 3600 } })).toBe(3);

    await pruneLoad(at(8 * 86_400), config);
    expect(await db.loadRollup.count({ where: { communityId } })).toBe(0);
  });
});
