// A tenant's instance row as the admin area (and the owner's export request) changes it:
// locked inside the caller's transaction, its desired state, its images, and waking the
// worker after the commit.
//
// requestState() is setDesiredState's change (the same generation bump, applyDesiredState)
// inside the caller's transaction, so the revision check, the desired state and the audit row
// commit together or not at all. The job is sent after the commit; a lost job is found by the
// worker's sweep.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { InstanceDesiredState, InstancePhase } from "@/generated/prisma/enums";
import { instanceImagesSchema } from "./images";
import { enqueueReconcile } from "./queue";
import { applyDesiredState, setDesiredState } from "./set-desired-state";
import type { InstanceImages } from "./templates";

export type TenantInstance = {
  id: string;
  phase: InstancePhase;
  desiredState: InstanceDesiredState;
  exportFirst: boolean;
  desiredGeneration: number;
  appliedGeneration: number;
  images: InstanceImages;
  provisionedAt: Date | null;
  webAddress: string | null;
};

type Tx = Prisma.TransactionClient;

export async function lockInstance(tx: Tx, communityId: string): Promise<TenantInstance | null> {
  const [row] = await tx.$queryRaw<(Omit<TenantInstance, "images"> & { images: unknown })[]>`
    SELECT id, phase, "desiredState", "exportFirst", "desiredGeneration", "appliedGeneration", images, "provisionedAt", "webAddress"
    FROM "Instance" WHERE "communityId" = ${communityId} FOR UPDATE`;
  return row ? { ...row, images: instanceImagesSchema.parse(row.images) } : null;
}

/**
 * The server holds data worth exporting: it was set up, or its first set-up has got as far as
 * the app answering (the community is LIVE from then on, before the run's last steps finish).
 */
export function hasServerData(instance: { provisionedAt: Date | null; webAddress: string | null }): boolean {
  return instance.provisionedAt !== null || instance.webAddress !== null;
}

/** A run is pending or in progress (not one that gave up: an instance in ERROR can be changed). */
export function instanceBusy(instance: Pick<TenantInstance, "appliedGeneration" | "desiredGeneration" | "phase">): boolean {
  return instance.appliedGeneration < instance.desiredGeneration && instance.phase !== "ERROR";
}

/** Sets the desired state; true when it changed (the generation was bumped). */
export async function requestState(tx: Tx, instance: TenantInstance, desired: InstanceDesiredState, exportFirst = false): Promise<boolean> {
  return (await applyDesiredState(tx, instance, desired, exportFirst)) !== null;
}

/**
 * New images or plan limits: a running instance gets a new generation, so the worker brings
 * it in line (containers whose spec changed are recreated; data lives in volumes). A stopped
 * one only records the images; they apply when it starts again.
 */
export async function reapply(tx: Tx, instance: TenantInstance, images?: InstanceImages): Promise<boolean> {
  const running = instance.desiredState === "RUNNING" && instance.provisionedAt !== null;
  await tx.instance.update({
    where: { id: instance.id },
    data: { ...(images ? { images } : {}), ...(running ? { desiredGeneration: { increment: 1 } } : {}) },
  });
  return running;
}

/** After the commit: wake the worker for this instance. */
export async function wakeInstance(instanceId: string): Promise<void> {
  await enqueueReconcile(instanceId);
}

/** After the commit: a funded tenant without an instance yet gets one (provisioning creates it). */
export async function startNewInstance(communityId: string): Promise<void> {
  await setDesiredState(communityId, "running");
}
