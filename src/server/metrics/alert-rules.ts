// Which alerts an instance should have open, in words an organiser understands. The
// collector compares this with the open Alert rows and opens or closes the difference,
// so a crash between sweeps never leaves an alert stuck or doubled.
import type { AlertKind } from "@/generated/prisma/client";
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

export function wantedAlerts(input: {
  name: string;
  memory: LoadMemory;
  reason: string;
  at: Date;
  currentPlan: PlanLimits;
  /** Set when a recommendation is wanted: the plan to suggest (null: none is larger). */
  recommendation?: { plan: PlanLimits | null } | undefined;
}): WantedAlert[] {
  const { name, memory, reason, at, currentPlan } = input;
  const wanted: WantedAlert[] = [];
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
