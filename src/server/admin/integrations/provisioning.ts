// Everything the admin area needs from provisioning (issue 5), in one place: the instance
// row of a tenant (locked inside the admin's transaction), its desired state, its images,
// and waking the worker after the commit.
//
// requestState() mirrors provisioning's setDesiredState (same row lock, same generation
// bump) but runs inside the admin's transaction, so the revision check, the desired state
// and the audit row commit together or not at all. The job is sent after the commit; a lost
// job is found by the worker's sweep.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { InstanceDesiredState, InstancePhase, Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { instanceImagesSchema } from "@/server/provisioning/images";
import { enqueueReconcile } from "@/server/provisioning/queue";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { configuredImages, type InstanceImages } from "@/server/provisioning/templates";
import { SECURITY_RELEASES } from "@/server/releases/security-releases";
import { versionOf } from "@/server/settings/image-versions";

export type TenantInstance = {
  id: string;
  phase: InstancePhase;
  desiredState: InstanceDesiredState;
  exportFirst: boolean;
  desiredGeneration: number;
  appliedGeneration: number;
  images: InstanceImages;
  provisionedAt: Date | null;
};

type Tx = Prisma.TransactionClient;

export async function lockInstance(tx: Tx, communityId: string): Promise<TenantInstance | null> {
  const [row] = await tx.$queryRaw<(Omit<TenantInstance, "images"> & { images: unknown })[]>`
    SELECT id, phase, "desiredState", "exportFirst", "desiredGeneration", "appliedGeneration", images, "provisionedAt"
    FROM "Instance" WHERE "communityId" = ${communityId} FOR UPDATE`;
  return row ? { ...row, images: instanceImagesSchema.parse(row.images) } : null;
}

/** A run is pending or in progress (not one that gave up: an instance in ERROR can be changed). */
export function instanceBusy(instance: TenantInstance): boolean {
  return instance.appliedGeneration < instance.desiredGeneration && instance.phase !== "ERROR";
}

/** Sets the desired state; true when it changed (the generation was bumped). */
export async function requestState(tx: Tx, instance: TenantInstance, desired: InstanceDesiredState, exportFirst = false): Promise<boolean> {
  if (instance.desiredState === desired && instance.exportFirst === exportFirst) return false;
  await tx.instance.update({
    where: { id: instance.id },
    data: { desiredState: desired, exportFirst, desiredGeneration: { increment: 1 } },
  });
  return true;
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

// ---------- versions: the tag of the app image (src/server/settings/image-versions.ts) ----------

export { imagesForVersion, versionOf } from "@/server/settings/image-versions";

/**
 * The default list of offered versions: the configured image's version first (what new instances
 * get), then, when that is the newest known security release, the security releases of the other
 * release lines the project still maintains (so an instance on an older line can take its fix).
 */
export function defaultVersions(): Record<Software, string[]> {
  const config = env();
  const offered = (software: Software) => {
    const tag = versionOf(configuredImages(software, config)) ?? "latest";
    const known = SECURITY_RELEASES[software].map((r) => r.version);
    return known[0] === tag ? known : [tag];
  };
  return { MASTODON: offered("MASTODON"), MISSKEY: offered("MISSKEY"), SHARKEY: offered("SHARKEY") };
}
