// Writes one sweep in one transaction and a fixed number of statements, whatever the
// number of tenants: samples, latest figures, state changes, alerts, previous counters,
// host figures. Bulk upserts go through unnest() so 10,000 rows are one statement.
import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import type { ContainerCounters } from "./counters";
import type { Evaluation } from "./evaluate-tenants";
import type { DiskMeasurement } from "./measure-disk";
import type { HostInfo } from "./host-info";

type Reading = ContainerCounters & { tenantId: string };

const big = (n: number | bigint | null | undefined) => (n === null || n === undefined ? null : BigInt(Math.round(Number(n))).toString());
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function tenantLoadUpsert(evaluation: Evaluation, at: Date, disk: DiskMeasurement | null) {
  const rows = evaluation.loads;
  const col = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  return db.$executeRaw`
    INSERT INTO "TenantLoad" ("communityId", "sampledAt", "state", "stateSince", "cpuPercent", "memoryBytes",
      "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "diskBytes", "diskMeasuredAt",
      "containersRunning", "containersTotal", "overSince", "calmSince", "heavySince", "lastHeavyAt")
    SELECT * FROM unnest(
      ${col((r) => r.communityId)}::text[], ${col(() => at.toISOString())}::timestamp(3)[],
      ${col((r) => r.state)}::text[]::"LoadState"[], ${col((r) => iso(r.stateSince))}::timestamp(3)[],
      ${col((r) => r.cpuPercent)}::real[], ${col((r) => big(r.memoryBytes))}::bigint[],
      ${col((r) => r.netRxBps)}::real[], ${col((r) => r.netTxBps)}::real[],
      ${col((r) => r.diskReadBps)}::real[], ${col((r) => r.diskWriteBps)}::real[],
      ${col((r) => big(disk?.perTenant.get(r.communityId) ?? (disk ? 0 : null)))}::bigint[],
      ${col(() => iso(disk?.measuredAt))}::timestamp(3)[],
      ${col((r) => r.figures.containersRunning)}::int[], ${col((r) => r.figures.containersTotal)}::int[],
      ${col((r) => iso(r.overSince))}::timestamp(3)[], ${col((r) => iso(r.calmSince))}::timestamp(3)[],
      ${col((r) => iso(r.heavySince))}::timestamp(3)[], ${col((r) => iso(r.lastHeavyAt))}::timestamp(3)[])
    ON CONFLICT ("communityId") DO UPDATE SET
      "sampledAt" = EXCLUDED."sampledAt", "state" = EXCLUDED."state", "stateSince" = EXCLUDED."stateSince",
      "cpuPercent" = EXCLUDED."cpuPercent", "memoryBytes" = EXCLUDED."memoryBytes",
      "netRxBps" = EXCLUDED."netRxBps", "netTxBps" = EXCLUDED."netTxBps",
      "diskReadBps" = EXCLUDED."diskReadBps", "diskWriteBps" = EXCLUDED."diskWriteBps",
      "diskBytes" = COALESCE(EXCLUDED."diskBytes", "TenantLoad"."diskBytes"),
      "diskMeasuredAt" = COALESCE(EXCLUDED."diskMeasuredAt", "TenantLoad"."diskMeasuredAt"),
      "containersRunning" = EXCLUDED."containersRunning", "containersTotal" = EXCLUDED."containersTotal",
      "overSince" = EXCLUDED."overSince", "calmSince" = EXCLUDED."calmSince",
      "heavySince" = EXCLUDED."heavySince", "lastHeavyAt" = EXCLUDED."lastHeavyAt"`;
}

function counterUpsert(readings: readonly [string, Reading][]) {
  const col = <T>(pick: (entry: [string, Reading]) => T) => readings.map(pick);
  return db.$executeRaw`
    INSERT INTO "ContainerCounter" ("containerId", "communityId", "readAt", "cpuNs", "systemNs", "onlineCpus",
      "netRxBytes", "netTxBytes", "blkReadBytes", "blkWriteBytes")
    SELECT * FROM unnest(
      ${col(([id]) => id)}::text[], ${col(([, r]) => r.tenantId)}::text[],
      ${col(([, r]) => new Date(r.readAt).toISOString())}::timestamp(3)[],
      ${col(([, r]) => big(r.cpuNs))}::bigint[], ${col(([, r]) => big(r.systemNs))}::bigint[],
      ${col(([, r]) => r.onlineCpus)}::int[],
      ${col(([, r]) => big(r.netRxBytes))}::bigint[], ${col(([, r]) => big(r.netTxBytes))}::bigint[],
      ${col(([, r]) => big(r.blkReadBytes))}::bigint[], ${col(([, r]) => big(r.blkWriteBytes))}::bigint[])
    ON CONFLICT ("containerId") DO UPDATE SET
      "communityId" = EXCLUDED."communityId", "readAt" = EXCLUDED."readAt", "cpuNs" = EXCLUDED."cpuNs",
      "systemNs" = EXCLUDED."systemNs", "onlineCpus" = EXCLUDED."onlineCpus",
      "netRxBytes" = EXCLUDED."netRxBytes", "netTxBytes" = EXCLUDED."netTxBytes",
      "blkReadBytes" = EXCLUDED."blkReadBytes", "blkWriteBytes" = EXCLUDED."blkWriteBytes"`;
}

// Prisma's createMany took 13 s for 10,000 rows here; one INSERT ... SELECT FROM unnest()
// takes well under one.
function sampleInsert(samples: Evaluation["loads"], at: Date, disk: DiskMeasurement | null) {
  const col = <T>(pick: (row: (typeof samples)[number]) => T) => samples.map(pick);
  return db.$executeRaw`
    INSERT INTO "LoadSample" ("communityId", "at", "cpuPercent", "memoryBytes", "netRxBps", "netTxBps",
      "diskReadBps", "diskWriteBps", "diskBytes")
    SELECT c, ${at.toISOString()}::timestamp(3), cpu, mem, rx, tx, rd, wr, disk FROM unnest(
      ${col((r) => r.communityId)}::text[], ${col((r) => r.cpuPercent)}::real[], ${col((r) => big(r.memoryBytes))}::bigint[],
      ${col((r) => r.netRxBps)}::real[], ${col((r) => r.netTxBps)}::real[],
      ${col((r) => r.diskReadBps)}::real[], ${col((r) => r.diskWriteBps)}::real[],
      ${col((r) => (disk ? big(disk.perTenant.get(r.communityId) ?? 0) : null))}::bigint[]
    ) AS s(c, cpu, mem, rx, tx, rd, wr, disk)
    ON CONFLICT DO NOTHING`;
}

function stateChangeInsert(evaluation: Evaluation) {
  const rows = evaluation.changes;
  const col = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  return db.$executeRaw`
    INSERT INTO "LoadStateChange" ("id", "communityId", "from", "to", "at", "reason")
    SELECT * FROM unnest(
      ${col(() => randomUUID())}::text[], ${col((r) => r.communityId)}::text[],
      ${col((r) => r.from)}::text[]::"LoadState"[], ${col((r) => r.to)}::text[]::"LoadState"[],
      ${col((r) => r.at.toISOString())}::timestamp(3)[], ${col((r) => r.reason)}::text[])`;
}

export async function saveSweep(input: {
  at: Date;
  evaluation: Evaluation;
  readings: ReadonlyMap<string, Reading>;
  containerIds: readonly string[];
  disk: DiskMeasurement | null;
  host: HostInfo | null;
}): Promise<void> {
  const { at, evaluation, disk, host } = input;
  const samples = evaluation.loads.filter((l) => l.sampled);
  const running = evaluation.loads.reduce((n, l) => n + l.figures.containersRunning, 0);
  const statements: Prisma.PrismaPromise<unknown>[] = [
    sampleInsert(samples, at, disk),
    ...(evaluation.changes.length > 0 ? [stateChangeInsert(evaluation)] : []),
    db.alert.createMany({
      data: evaluation.open.map((a) => ({
        communityId: a.communityId,
        kind: a.kind,
        message: a.message,
        details: (a.details ?? Prisma.DbNull) as Prisma.InputJsonValue,
        openedAt: at,
      })),
    }),
    db.alert.updateMany({ where: { id: { in: evaluation.close }, closedAt: null }, data: { closedAt: at } }),
    // Counters of containers that are gone are of no further use. (One array parameter:
    // a list of ids as separate parameters runs out of them at a few thousand containers.)
    db.$executeRaw`DELETE FROM "ContainerCounter" WHERE NOT ("containerId" = ANY(${[...input.containerIds]}::text[]))`,
  ];
  if (evaluation.loads.length > 0) statements.push(tenantLoadUpsert(evaluation, at, disk));
  if (input.readings.size > 0) statements.push(counterUpsert([...input.readings]));
  if (host) {
    const data = {
      name: host.name,
      cpus: host.cpus,
      memoryBytes: BigInt(host.memoryBytes),
      containersRunning: running,
      containersCpuPercent: evaluation.loads.reduce((n, l) => n + l.cpuPercent, 0),
      containersMemoryBytes: BigInt(Math.round(evaluation.loads.reduce((n, l) => n + l.memoryBytes, 0))),
      sampledAt: at,
      ...(disk && {
        dockerDiskBytes: BigInt(disk.dockerDiskBytes),
        volumesDiskBytes: BigInt(disk.volumesDiskBytes),
        fsTotalBytes: disk.fsTotalBytes === null ? null : BigInt(disk.fsTotalBytes),
        fsFreeBytes: disk.fsFreeBytes === null ? null : BigInt(disk.fsFreeBytes),
        diskMeasuredAt: disk.measuredAt,
      }),
    };
    statements.push(db.hostLoad.upsert({ where: { id: host.id }, create: { id: host.id, ...data }, update: data }));
  }
  // A generous timeout: on a busy database 10,000 tenants are still one sweep, not an error.
  await db.$transaction(statements, { timeout: 60_000 });
}
