// The state machine of one instance's load, pure so it can be tested sample by sample.
// Precedence: down (nothing runs) > unhealthy (a health check fails, a component keeps
// restarting) > under heavy load (over a threshold of the plan for a while) > healthy.
import type { LoadState } from "@/generated/prisma/client";
import type { MetricsConfig } from "./config";

export type LoadMemory = {
  state: LoadState;
  stateSince: Date;
  overSince: Date | null;
  calmSince: Date | null;
  heavySince: Date | null;
  lastHeavyAt: Date | null;
};

export type Observation = {
  at: Date;
  containersRunning: number;
  /** Components failing while the instance runs, e.g. "web (health check failing)". */
  failing: string[];
  /** Usage over the plan's limit (1 = at the limit); null when not measured this sweep. */
  cpuRatio: number | null;
  memoryRatio: number | null;
};

export type Thresholds = Pick<MetricsConfig, "heavyCpu" | "heavyMemory" | "hysteresis" | "heavyEnterMs" | "heavyLeaveMs">;

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 1 ? "under a minute" : m === 1 ? "1 minute" : `${m} minutes`;
}

export function nextLoadMemory(
  previous: LoadMemory | null,
  observation: Observation,
  thresholds: Thresholds,
): { memory: LoadMemory; reason: string } {
  const { at, cpuRatio, memoryRatio } = observation;
  const measured = cpuRatio !== null || memoryRatio !== null;
  const cpu = cpuRatio ?? 0;
  const mem = memoryRatio ?? 0;
  const over = measured && (cpu >= thresholds.heavyCpu || mem >= thresholds.heavyMemory);
  const calm =
    measured && cpu < thresholds.heavyCpu - thresholds.hysteresis && mem < thresholds.heavyMemory - thresholds.hysteresis;
  const running = observation.containersRunning > 0;

  // A sweep without figures (first reading of a new container) neither starts nor breaks a streak.
  const overSince = !running ? null : !measured ? (previous?.overSince ?? null) : over ? (previous?.overSince ?? at) : null;
  const calmSince = !running ? null : !measured ? (previous?.calmSince ?? null) : calm ? (previous?.calmSince ?? at) : null;

  let heavySince = running ? (previous?.heavySince ?? null) : null;
  if (!heavySince && overSince && at.getTime() - overSince.getTime() >= thresholds.heavyEnterMs) heavySince = at;
  else if (heavySince && calmSince && at.getTime() - calmSince.getTime() >= thresholds.heavyLeaveMs) heavySince = null;

  const state: LoadState = !running
    ? "DOWN"
    : observation.failing.length > 0
      ? "UNHEALTHY"
      : heavySince
        ? "HEAVY_LOAD"
        : "HEALTHY";

  let reason: string;
  if (state === "DOWN") reason = "no container is running";
  else if (state === "UNHEALTHY") reason = observation.failing.join(", ");
  else if (state === "HEAVY_LOAD") {
    const which = cpu >= mem ? `CPU at ${percent(cpu)}` : `memory at ${percent(mem)}`;
    reason = `${which} of the plan's limit for ${minutes(at.getTime() - (overSince ?? at).getTime())}`;
  } else reason = previous?.heavySince ? "load back under the thresholds" : "running normally";

  return {
    memory: {
      state,
      stateSince: previous && previous.state === state ? previous.stateSince : at,
      overSince,
      calmSince,
      heavySince,
      lastHeavyAt: heavySince ? at : (previous?.lastHeavyAt ?? null),
    },
    reason,
  };
}
