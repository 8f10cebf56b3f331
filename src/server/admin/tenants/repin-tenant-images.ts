// Re-pins every image of a tenant's instance (app, streaming, database, Redis) to what a new
// instance would get now: the configured images at the newest offered version. The rescue for
// a tenant stuck on images that cannot be had (a tag withdrawn, a typo since fixed): "Change
// version" moves only the app image, and a restart keeps the pinned ones. Accepted while a run
// waits for its retry: the new generation supersedes it and the worker starts over with the new
// images. Data lives in volumes; containers whose image changed are recreated.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { AppError } from "@/server/errors/app-error";
import { imagesForNewInstance } from "@/server/settings";
import { lockInstance, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted } from "./busy";
import type { TenantActionInput } from "./schemas";

export async function repinTenantImages(ctx: TenantActionContext, input: TenantActionInput) {
  return runTenantAction(ctx, {
    action: "tenant.images-repinned",
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      const instance = await lockInstance(tx, tenant.id);
      if (!instance) throw new AppError("CONFLICT", "This tenant has no instance yet. It gets the host's current images when it is set up.");
      const images = await imagesForNewInstance(tenant.software, tx);
      const same = JSON.stringify(Object.entries(images).sort()) === JSON.stringify(Object.entries(instance.images).sort());
      if (same) throw new AppError("CONFLICT", "The instance already uses the host's current images.");
      // A desired "running" instance is brought in line now (set up, if it never was); a stopped
      // one only records them for its next start.
      const now = instance.desiredState === "RUNNING";
      await tx.instance.update({
        where: { id: instance.id },
        data: { images: images as Prisma.InputJsonObject, ...(now ? { desiredGeneration: { increment: 1 } } : {}) },
      });
      return { result: { instanceId: now ? instance.id : null }, data: { from: instance.images, to: images, appliesNow: now } };
    },
    after: async ({ instanceId }) => {
      if (instanceId) await wakeInstance(instanceId);
    },
  });
}
