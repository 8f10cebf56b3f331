// One collection sweep: list this installation's containers, read their counters, turn
// them into per-tenant rates against the previous reading, evaluate each instance's state
// and write it all in one transaction.
import "server-only";
import { db } from "@/server/db/client";
import { aggregateTenants, type TenantFigures } from "./aggregate-tenants";
import { metricsConfig, type MetricsConfig } from "./config";
import { evaluateTenants } from "./evaluate-tenants";
import { hostInfo } from "./host-info";
import { listTenantContainers } from "./list-tenant-containers";
import { readContainerCounters } from "./read-container-counters";
import { saveSweep } from "./save-sweep";
import type { ContainerCounters } from "./counters";
import type { DiskMeasurement } from "./measure-disk";

export type CollectorState = {
  /** Last reading of each container, with its tenant. */
  previous: Map<string, ContainerCounters & { tenantId: string }>;
  /** The previous readings were loaded from the database (once, after a restart). */
  restored: boolean;
  disk: DiskMeasurement | null;
};

export function newCollectorState(): CollectorState {
  return { previous: new Map(), restored: false, disk: null };
}

const processState = newCollectorState();

export type SweepSummary = {
  at: Date;
  containers: number;
  running: number;
  tenants: number;
  samples: number;
  changes: number;
  alertsOpened: number;
  alertsClosed: number;
  viaCgroup: number;
  viaApi: number;
  /** Milliseconds: listing, reading counters, evaluating and writing, whole sweep. */
  listMs: number;
  readMs: number;
  writeMs: number;
  totalMs: number;
  /** This sweep's figures per tenant id (for tests and the bench). */
  figures: ReadonlyMap<string, TenantFigures>;
};

async function restorePrevious(state: CollectorState): Promise<void> {
  const rows = await db.containerCounter.findMany();
  for (const row of rows) {
    if (state.previous.has(row.containerId)) continue;
    state.previous.set(row.containerId, {
      tenantId: row.communityId,
      readAt: row.readAt.getTime(),
      cpuNs: Number(row.cpuNs),
      systemNs: Number(row.systemNs),
      onlineCpus: row.onlineCpus,
      memoryBytes: 0,
      netRxBytes: Number(row.netRxBytes),
      netTxBytes: Number(row.netTxBytes),
      blkReadBytes: Number(row.blkReadBytes),
      blkWriteBytes: Number(row.blkWriteBytes),
    });
  }
  state.restored = true;
}

export async function collectOnce(
  // `now`: the sweep's time for states, windows and alerts (tests move it instead of waiting).
  options: { state?: CollectorState; config?: Partial<MetricsConfig>; now?: () => Date } = {},
): Promise<SweepSummary> {
  const config = metricsConfig(options.config);
  const state = options.state ?? processState;
  const started = performance.now();
  const containers = await listTenantContainers();
  const listed = performance.now();
  const running = containers.filter((c) => c.state === "running");
  const readings = await readContainerCounters(
    running.map((c) => c.id),
    config,
    new Set(running.filter((c) => c.hostNetwork).map((c) => c.id)),
  );
  const read = performance.now();
  const at = options.now?.() ?? new Date();
  if (!state.restored) await restorePrevious(state);

  // Rates over a longer gap (a worker that was stopped for a while) would be averages over
  // that gap: drop them and start again.
  const maxGapMs = Math.max(4 * config.intervalMs, 5 * 60_000);
  const tenants = aggregateTenants(containers, readings.counters, state.previous, maxGapMs);
  const tenantOf = new Map(containers.map((c) => [c.id, c.tenantId]));
  const current = new Map<string, ContainerCounters & { tenantId: string }>();
  for (const [id, counters] of readings.counters) current.set(id, { ...counters, tenantId: tenantOf.get(id) ?? "" });

  const evaluation = await evaluateTenants(at, tenants, config);
  await saveSweep({
    at,
    evaluation,
    readings: current,
    containerIds: [...current.keys()],
    disk: state.disk,
    host: await hostInfo(),
  });
  state.previous = current;
  const done = performance.now();
  return {
    at,
    containers: containers.length,
    running: running.length,
    tenants: evaluation.loads.length,
    samples: evaluation.loads.filter((l) => l.sampled).length,
    changes: evaluation.changes.length,
    alertsOpened: evaluation.open.length,
    alertsClosed: evaluation.close.length,
    viaCgroup: readings.viaCgroup,
    viaApi: readings.viaApi,
    listMs: listed - started,
    readMs: read - listed,
    writeMs: done - read,
    totalMs: done - started,
    figures: tenants,
  };
}
