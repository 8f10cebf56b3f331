// Which alerts an instance should have open, in words an organiser understands. The
// collector compares this with the open Alert rows and opens or closes the difference,
// so a crash between sweeps never leaves an alert stuck or doubled.
import type { AlertKind } from "@/generated/prisma/client";
import { formatBytes } from "@/lib/format";
import type { LoadMemory } from "./load-state";
import type { PlanLimits } from "./recommend-plan";

export type WantedAlert = { kind: AlertKind; message: string; details?: Record<string, unknown> };

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return minutes <= 1 ? "a minute" : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

export function describePlan(plan: PlanLimits): string {
  const cpus = plan.cpuMillis / 1000;
  const memory = plan.memoryMb >= 1024 ? `${+(plan.memoryMb / 1024).toFixed(1)} GB` : `${plan.memoryMb} MB`;
  return `${plan.name} plan (${cpus} CPU${cpus === 1 ? "" : "s"}, ${memory} memory)`;
}

/** Whether heavy load has lasted long enough for a recommendation (or one is still relevant). */
export function wantsRecommendation(
  memory: LoadMemory,
  at: Date,
  recommendAfterMs: number,
  open: { planId: string } | null,
  currentPlanId: string,
): boolean {
  if (memory.heavySince && at.getTime() - memory.heavySince.getTime() >= recommendAfterMs) return true;
  // An open recommendation stays until the plan changes or the load has been calm as long.
  return (
    open !== null &&
    open.planId === currentPlanId &&
    memory.lastHeavyAt !== null &&
    at.getTime() - memory.lastHeavyAt.getTime() < recommendAfterMs
  );
}

/** Share of the plan's disk at which disk alerts open (the last measurement of volumes and layers). */
export const DISK_HIGH_RATIO = 0.8;
export const DISK_FULL_RATIO = 0.95;

/**
 * One disk alert at most: DISK_FULL from 95% of the plan's disk, DISK_HIGH from 80%. Nothing on a
 * plain Docker host stops a volume growing past the plan (see disk-enforcement.ts), so the
 * words say what to do.
 */
export function diskAlert(name: string, disk: { bytes: number; planGb: number } | null): WantedAlert | null {
  if (!disk || disk.planGb <= 0) return null;
  const limit = disk.planGb * 1024 ** 3;
  const ratio = disk.bytes / limit;
  const used = `${name} uses ${formatBytes(disk.bytes)} of its plan's ${disk.planGb} GB of disk (${Math.floor(ratio * 100)}%)`;
  const details = { bytes: disk.bytes, limitBytes: limit };
  if (ratio >= DISK_FULL_RATIO) {
    return { kind: "DISK_FULL", message: `${used}. It is nearly full: clear the cache of remote media or move to a larger plan now.`, details };
  }
  if (ratio >= DISK_HIGH_RATIO) {
    return { kind: "DISK_HIGH", message: `${used}. Clearing the cache of remote media or a larger plan will be needed soon.`, details };
  }
  return null;
}

export function wantedAlerts(input: {
  name: string;
  memory: LoadMemory;
  reason: string;
  at: Date;
  currentPlan: PlanLimits;
  /** Set when a recommendation is wanted: the plan to suggest (null: none is larger). */
  recommendation?: { plan: PlanLimits | null } | undefined;
  /** The last disk measurement and the plan's disk; null before the first measurement. */
  disk?: { bytes: number; planGb: number } | null;
}): WantedAlert[] {
  const { name, memory, reason, at, currentPlan } = input;
  const wanted: WantedAlert[] = [];
  const disk = diskAlert(name, input.disk ?? null);
  if (disk) wanted.push(disk);
  if (memory.state === "DOWN") wanted.push({ kind: "DOWN", message: `${name} is down: ${reason}.` });
  if (memory.state === "UNHEALTHY") wanted.push({ kind: "UNHEALTHY", message: `${name} is not healthy: ${reason}.` });
  if (memory.heavySince) {
    const detail = memory.state === "HEAVY_LOAD" ? `: ${reason}` : "";
    wanted.push({ kind: "HEAVY_LOAD", message: `${name} is under heavy load${detail}.` });
  }
  if (input.recommendation) {
    const since = memory.heavySince ?? memory.lastHeavyAt ?? at;
    const lasted = `${name} has been under heavy load for ${duration(at.getTime() - since.getTime())}`;
    const plan = input.recommendation.plan;
    wanted.push({
      kind: "PLAN_RECOMMENDATION",
      message: plan
        ? `${lasted}. Moving up to the ${describePlan(plan)} would give it room.`
        : `${lasted} and it is already on the largest plan (${describePlan(currentPlan)}); the host can help.`,
      details: { planId: currentPlan.id, recommendedPlanId: plan?.id ?? null },
    });
  }
  return wanted;
}

/**
 * The difference between the alerts wanted and those open: the kinds to open, and the ids of
 * open alerts no longer wanted. An alert already open of a wanted kind stays as it is.
 */
export function alertChanges(wanted: WantedAlert[], open: { id: string; kind: AlertKind }[]): { open: WantedAlert[]; close: string[] } {
  const wantedKinds = new Set<AlertKind>(wanted.map((w) => w.kind));
  const openKinds = new Set<AlertKind>(open.map((a) => a.kind));
  return {
    open: wanted.filter((w) => !openKinds.has(w.kind)),
    close: open.filter((a) => !wantedKinds.has(a.kind)).map((a) => a.id),
  };
}
