// Chart data for one instance over the last hour, day or week, at the resolution of the
// range's storage tier, with the plan's limits to draw against. One indexed range scan:
// at most a few hundred rows whatever the history holds.
import "server-only";
import type { LoadState, Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { LOAD_RANGES, type LoadRange } from "./load-ranges";
import { floorTo } from "./rollup-load";

export type LoadPoint = {
  at: number;
  cpuPercent: number;
  cpuMax: number;
  memoryBytes: number;
  memoryMax: number;
  netRxBps: number;
  netTxBps: number;
  diskReadBps: number;
  diskWriteBps: number;
  diskBytes: number | null;
};

export type LoadChart = {
  communityId: string;
  name: string;
  range: LoadRange;
  from: number;
  to: number;
  /** Expected spacing of points (ms); a longer gap is drawn as a gap. */
  stepMs: number;
  limits: { cpuPercent: number; memoryBytes: number; diskBytes: number };
  state: { state: LoadState; since: number } | null;
  points: LoadPoint[];
};

const num = (value: bigint | number | null) => (value === null ? null : Number(value));

/**
 * `access` is the caller's authorisation as a Community filter, e.g.
 * `communityWhere(actor, "instance.read")`; a community outside it is NOT_FOUND.
 */
export async function getLoadChart(input: {
  communityId: string;
  range: LoadRange;
  access: Prisma.CommunityWhereInput;
  now?: Date;
  sampleIntervalMs?: number;
}): Promise<LoadChart> {
  const community = await db.community.findFirst({
    where: { AND: [{ id: input.communityId }, input.access] },
    select: {
      id: true,
      name: true,
      plan: { select: { cpuMillis: true, memoryMb: true, diskGb: true } },
      load: { select: { state: true, stateSince: true } },
    },
  });
  if (!community) throw new AppError("NOT_FOUND", "There is no such community, or you cannot see it.");
  const range = LOAD_RANGES[input.range];
  const to = input.now ?? new Date();
  const from = new Date(to.getTime() - range.ms);
  let points: LoadPoint[];
  let stepMs: number;
  if (range.resolution === 0) {
    stepMs = input.sampleIntervalMs ?? 15_000;
    const rows = await db.loadSample.findMany({
      where: { communityId: community.id, at: { gte: from, lte: to } },
      orderBy: { at: "asc" },
    });
    points = rows.map((r) => ({
      at: r.at.getTime(),
      cpuPercent: r.cpuPercent,
      cpuMax: r.cpuPercent,
      memoryBytes: Number(r.memoryBytes),
      memoryMax: Number(r.memoryBytes),
      netRxBps: r.netRxBps,
      netTxBps: r.netTxBps,
      diskReadBps: r.diskReadBps,
      diskWriteBps: r.diskWriteBps,
      diskBytes: num(r.diskBytes),
    }));
  } else {
    stepMs = range.resolution * 1000;
    const rows = await db.loadRollup.findMany({
      where: {
        communityId: community.id,
        resolution: range.resolution,
        bucket: { gte: floorTo(from, range.resolution), lte: to },
      },
      orderBy: { bucket: "asc" },
    });
    points = rows.map((r) => ({
      at: r.bucket.getTime(),
      cpuPercent: r.cpuAvg,
      cpuMax: r.cpuMax,
      memoryBytes: Number(r.memoryAvg),
      memoryMax: Number(r.memoryMax),
      netRxBps: r.netRxBps,
      netTxBps: r.netTxBps,
      diskReadBps: r.diskReadBps,
      diskWriteBps: r.diskWriteBps,
      diskBytes: num(r.diskBytes),
    }));
  }
  return {
    communityId: community.id,
    name: community.name,
    range: input.range,
    from: from.getTime(),
    to: to.getTime(),
    stepMs,
    limits: {
      cpuPercent: community.plan.cpuMillis / 10,
      memoryBytes: community.plan.memoryMb * 1024 * 1024,
      diskBytes: community.plan.diskGb * 1024 ** 3,
    },
    state: community.load ? { state: community.load.state, since: community.load.stateSince.getTime() } : null,
    points,
  };
}
