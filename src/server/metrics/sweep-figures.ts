// What one sweep's figures of a tenant mean, pure so each rule can be tested alone: the
// observation the load state machine weighs (usage as a share of the plan), and the figures
// shown as "latest" (this sweep's, or the last ones while the instance runs without new rates).
import type { TenantFigures } from "./aggregate-tenants";
import type { Observation } from "./load-state";

const MIB = 1024 * 1024;

/** CPU and memory against the plan's limits (1 = at the limit); null where this sweep measured none. */
export function observationOf(figures: TenantFigures, plan: { cpuMillis: number; memoryMb: number }, at: Date): Observation {
  const sampled = figures.rated > 0;
  return {
    at,
    containersRunning: figures.containersRunning,
    failing: figures.failing,
    // cpuPercent counts 100 per CPU; a plan's cpuMillis counts 1000 per CPU.
    cpuRatio: sampled ? figures.rates.cpuPercent / (plan.cpuMillis / 10) : null,
    memoryRatio: figures.measured > 0 ? figures.memoryBytes / (plan.memoryMb * MIB) : null,
  };
}

/** The last figures kept for the tenant (the TenantLoad row), as far as they are shown again. */
export type KeptFigures = {
  cpuPercent: number;
  memoryBytes: bigint;
  netRxBps: number;
  netTxBps: number;
  diskReadBps: number;
  diskWriteBps: number;
};

export type LatestFigures = {
  sampled: boolean;
  cpuPercent: number;
  memoryBytes: number;
  netRxBps: number;
  netTxBps: number;
  diskReadBps: number;
  diskWriteBps: number;
};

/**
 * This sweep's figures where it has them. A sweep without rates (the first reading of a
 * container, or none) shows the last kept figures while containers run, and zeros when none does.
 */
export function latestFigures(figures: TenantFigures, previous: KeptFigures | null): LatestFigures {
  const sampled = figures.rated > 0;
  const kept = !sampled && figures.containersRunning > 0 ? previous : null;
  const { rates } = figures;
  return {
    sampled,
    cpuPercent: sampled ? rates.cpuPercent : (kept?.cpuPercent ?? 0),
    memoryBytes: figures.measured > 0 ? figures.memoryBytes : kept ? Number(kept.memoryBytes) : 0,
    netRxBps: sampled ? rates.netRxBps : (kept?.netRxBps ?? 0),
    netTxBps: sampled ? rates.netTxBps : (kept?.netTxBps ?? 0),
    diskReadBps: sampled ? rates.blkReadBps : (kept?.diskReadBps ?? 0),
    diskWriteBps: sampled ? rates.blkWriteBps : (kept?.diskWriteBps ?? 0),
  };
}
