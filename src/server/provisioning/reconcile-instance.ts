// One reconcile pass for one instance: compare the desired state with what was applied and
// with what Docker shows, pick or resume the run that closes the gap, and execute its plan.
// Runs under the instance's advisory lock, so passes never overlap; every step is idempotent,
// so a pass that dies anywhere is simply resumed by the next one.
import "server-only";
import type { InstanceRun, InstanceRunKind } from "@/generated/prisma/client";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { log } from "@/server/log";
import { describeStepFailure } from "./docker-errors";
import { notifyHostAdminsOfFailure } from "./notify-host-admins";
import { listLabelled } from "./docker-objects";
import { BUSY, withInstanceLock } from "./instance-lock";
import { driftRun, observedContainers } from "./observe";
import { loadInstance, planContext, type LoadedInstance, type PlanContext } from "./run-plan-context";
import { deletePlan } from "./run-plan-delete";
import { runningPlan } from "./run-plan-running";
import { stopPlan } from "./run-plan-stop";
import { runStages, StepFailed, type PlannedStage } from "./run-steps";

export type PassResult =
  | { outcome: "gone" | "busy" | "converged" | "succeeded" | "superseded" }
  | { outcome: "retry" | "waiting" | "failed"; at: Date };

class Superseded extends Error {}

const ACTIVE_PHASE = { PROVISION: "PROVISIONING", START: "STARTING", REPAIR: "STARTING", STOP: "STOPPING", DELETE: "DELETING" } as const;
const FINAL_PHASE = { PROVISION: "RUNNING", START: "RUNNING", REPAIR: "RUNNING", STOP: "STOPPED", DELETE: "DELETED" } as const;

function kindFor(instance: LoadedInstance): InstanceRunKind {
  if (instance.desiredState === "STOPPED") return "STOP";
  if (instance.desiredState === "DELETED") return "DELETE";
  return instance.provisionedAt ? "START" : "PROVISION";
}

function planFor(kind: InstanceRunKind, ctx: PlanContext): PlannedStage[] {
  if (kind === "STOP") return stopPlan(ctx);
  if (kind === "DELETE") return deletePlan(ctx);
  return runningPlan(ctx, kind);
}

/** Seconds to wait after the n-th failure: base x 3^(n-1). */
export function backoffSeconds(failures: number, base: number): number {
  return base * 3 ** Math.max(0, failures - 1);
}

async function drift(instance: LoadedInstance): Promise<InstanceRunKind | null> {
  const objects = await listLabelled(docker(), await labelFilters(instance.communityId));
  const containers = observedContainers(objects.containers).get(instance.communityId) ?? [];
  return driftRun(
    { desiredState: instance.desiredState, phase: instance.phase, software: instance.community.software },
    containers,
    objects.networks.length + objects.volumes.length,
  );
}

/** Picks the run this pass works on: the open one, a new one, or none (converged / waiting). */
async function chooseRun(instance: LoadedInstance, now: Date): Promise<InstanceRun | PassResult> {
  const latest = await db.instanceRun.findFirst({ where: { instanceId: instance.id }, orderBy: { seq: "desc" } });
  const open = latest && ["RUNNING", "WAITING_RETRY", "FAILED"].includes(latest.state) ? latest : null;
  if (open && open.generation === instance.desiredGeneration) {
    if (open.state !== "RUNNING" && open.nextAttemptAt && open.nextAttemptAt > now) {
      return { outcome: open.state === "FAILED" ? "failed" : "waiting", at: open.nextAttemptAt };
    }
    return open;
  }
  if (open && open.state !== "FAILED") {
    await db.instanceRun.update({ where: { id: open.id }, data: { state: "SUPERSEDED", finishedAt: now } });
  }
  let kind: InstanceRunKind | null;
  if (instance.appliedGeneration < instance.desiredGeneration) kind = kindFor(instance);
  else kind = await drift(instance);
  if (!kind) return { outcome: "converged" };
  return db.instanceRun.create({
    data: { instanceId: instance.id, seq: (latest?.seq ?? 0) + 1, kind, generation: instance.desiredGeneration },
  });
}

async function begin(instance: LoadedInstance, run: InstanceRun) {
  await db.instanceRun.update({ where: { id: run.id }, data: { state: "RUNNING", nextAttemptAt: null } });
  await db.instance.update({ where: { id: instance.id }, data: { phase: ACTIVE_PHASE[run.kind] } });
  if (run.kind === "PROVISION" || run.kind === "START") {
    await db.community.update({ where: { id: instance.communityId }, data: { status: "PROVISIONING" } });
  }
}

async function succeed(instance: LoadedInstance, run: InstanceRun) {
  const now = new Date();
  const running = FINAL_PHASE[run.kind] === "RUNNING";
  await db.$transaction([
    db.instanceRun.update({ where: { id: run.id }, data: { state: "SUCCEEDED", finishedAt: now, error: null } }),
    db.instance.update({
      where: { id: instance.id },
      data: {
        phase: FINAL_PHASE[run.kind],
        appliedGeneration: run.generation,
        lastError: null,
        ...(run.kind === "PROVISION" ? { provisionedAt: now } : {}),
        ...(run.kind === "DELETE" ? { provisionedAt: null } : {}),
      },
    }),
    ...(running || run.kind === "STOP"
      ? [db.community.update({ where: { id: instance.communityId }, data: { status: running ? "LIVE" : "SUSPENDED" } })]
      : []),
  ]);
}

/** The log lines of one run carry its tenant, instance and run. */
const runLog = (instance: LoadedInstance, run: InstanceRun) =>
  log.child({ communityId: instance.communityId, instanceId: instance.id, runId: run.id, kind: run.kind });

async function fail(instance: LoadedInstance, run: InstanceRun, error: unknown): Promise<PassResult> {
  const config = env();
  const failures = run.failures + 1;
  const label = error instanceof StepFailed ? error.label : "Reconcile";
  const reason = error instanceof StepFailed ? error.message : describeStepFailure(error);
  const final = failures >= config.HEARTH_PROVISION_MAX_ATTEMPTS;
  const wait = final ? config.HEARTH_PROVISION_ERROR_RETRY_MINUTES * 60 : backoffSeconds(failures, config.HEARTH_PROVISION_RETRY_BASE_SECONDS);
  const at = new Date(Date.now() + wait * 1000);
  const message = final
    ? `${label} failed ${failures} times: ${reason} Hearth tries again every ${config.HEARTH_PROVISION_ERROR_RETRY_MINUTES} minutes; an admin can retry now once the cause is fixed.`
    : `${label} failed (attempt ${failures} of ${config.HEARTH_PROVISION_MAX_ATTEMPTS}): ${reason} Retrying in ${Math.round(wait)} s.`;
  await db.$transaction([
    db.instanceRun.update({
      where: { id: run.id },
      data: { state: final ? "FAILED" : "WAITING_RETRY", failures, nextAttemptAt: at, error: message },
    }),
    db.instance.update({ where: { id: instance.id }, data: { lastError: message, ...(final ? { phase: "ERROR" } : {}) } }),
  ]);
  const lines = runLog(instance, run);
  lines.warn("instance run failed", { failures, final, step: label, reason });
  // The organiser is told that the host's team knows (organiser-notice.ts): make it so, once a run.
  if (failures === 1) {
    await notifyHostAdminsOfFailure({ communityId: instance.communityId, runId: run.id, message }).catch((error: unknown) =>
      lines.warn("could not tell the host admins about a failed run", { error }),
    );
  }
  return { outcome: final ? "failed" : "retry", at };
}

async function pass(instanceId: string): Promise<PassResult> {
  const instance = await loadInstance(instanceId);
  if (!instance) return { outcome: "gone" };
  const chosen = await chooseRun(instance, new Date());
  if (!("kind" in chosen)) return chosen;
  const run = chosen;
  await begin(instance, run);
  const ctx = await planContext(docker(), env(), instance);
  try {
    await runStages(run.id, planFor(run.kind, ctx), async () => {
      const current = await db.instance.findUnique({ where: { id: instance.id }, select: { desiredGeneration: true } });
      if (!current || current.desiredGeneration !== run.generation) throw new Superseded();
    });
  } catch (error) {
    if (error instanceof Superseded) {
      await db.instanceRun.update({ where: { id: run.id }, data: { state: "SUPERSEDED", finishedAt: new Date() } });
      return { outcome: "superseded" };
    }
    return fail(instance, run, error);
  }
  await succeed(instance, run);
  runLog(instance, run).info("instance run succeeded");
  return { outcome: "succeeded" };
}

/** Whether work arrived for this instance that no pass has picked up (checked after unlocking). */
async function pending(instanceId: string): Promise<boolean> {
  const instance = await db.instance.findUnique({
    where: { id: instanceId },
    select: { appliedGeneration: true, desiredGeneration: true },
  });
  if (!instance || instance.appliedGeneration >= instance.desiredGeneration) return false;
  const waiting = await db.instanceRun.count({
    where: { instanceId, generation: instance.desiredGeneration, state: { in: ["WAITING_RETRY", "FAILED"] } },
  });
  return waiting === 0;
}

/**
 * Reconciles one instance. Another pass holding the lock answers "busy"; a desired state that
 * changed while we held it is picked up here, after unlocking, so no change is ever lost.
 */
export async function reconcileInstance(instanceId: string): Promise<PassResult> {
  let result: PassResult = { outcome: "busy" };
  for (let round = 0; round < 5; round++) {
    const locked = await withInstanceLock(instanceId, () => pass(instanceId));
    if (locked === BUSY) return round === 0 ? { outcome: "busy" } : result;
    result = locked;
    if (result.outcome !== "superseded" && !(await pending(instanceId))) return result;
  }
  return result;
}
