// The provisioning API for the rest of Hearth (funding, host admin): say what an instance
// should be, and the worker makes it so. Idempotent: asking for the state already desired
// changes nothing. The first call creates the instance, pinned to the configured images.
import "server-only";
import { z } from "zod";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { log } from "@/server/log";
import { enqueueReconcile } from "./queue";
import { imagesForNewInstance } from "@/server/settings";
import type { Prisma, Software } from "@/generated/prisma/client";
import type { InstanceDesiredState } from "@/generated/prisma/enums";

export const desiredStateSchema = z.enum(["running", "stopped", "deleted"]);
export type DesiredState = z.infer<typeof desiredStateSchema>;

const TO_DB = { running: "RUNNING", stopped: "STOPPED", deleted: "DELETED" } as const;

export type SetDesiredStateOptions = {
  /** Deletion only: run the export hook first (see export-hook.ts); nothing is deleted if it fails. */
  exportFirst?: boolean;
};

type Outcome = { instanceId: string | null; generation: number; changed: boolean; refused?: "deleted" };

async function apply(communityId: string, desired: (typeof TO_DB)[DesiredState], exportFirst: boolean, software: Software) {
  return db.$transaction(async (tx): Promise<Outcome> => {
    // Deleted is final: only "deleted" may be asked for a deleted community. The share lock
    // waits for a deletion in progress (it holds the row for update) and then sees it.
    const [community] = await tx.$queryRaw<{ deletedAt: Date | null }[]>`
      SELECT "deletedAt" FROM "Community" WHERE "id" = ${communityId} FOR SHARE`;
    if (community?.deletedAt && desired !== "DELETED") {
      log.warn("refused a desired state for a deleted community", { communityId, desired });
      return { instanceId: null, generation: 0, changed: false, refused: "deleted" };
    }
    // Row lock: concurrent calls each see the other's change and bump the generation once each.
    const [row] = await tx.$queryRaw<{ id: string; desiredState: string; desiredGeneration: number; exportFirst: boolean }[]>`
      SELECT id, "desiredState", "desiredGeneration", "exportFirst" FROM "Instance"
      WHERE "communityId" = ${communityId} FOR UPDATE`;
    if (!row) {
      // Nothing to stop or delete where nothing was ever created.
      if (desired !== "RUNNING") return { instanceId: null, generation: 0, changed: false };
      const created = await tx.instance.create({
        // Pinned to the newest version the host offers (host settings; the configured images by default).
        data: { communityId, images: await imagesForNewInstance(software, tx), desiredState: desired },
        select: { id: true, desiredGeneration: true },
      });
      return { instanceId: created.id, generation: created.desiredGeneration, changed: true };
    }
    const generation = await applyDesiredState(tx, row, desired, exportFirst);
    if (generation === null) return { instanceId: row.id, generation: row.desiredGeneration, changed: false };
    return { instanceId: row.id, generation, changed: true };
  });
}

/**
 * The change itself, inside a transaction that holds the instance row's lock: a new desired
 * state bumps the generation (the worker acts on a generation it has not applied yet).
 * Returns the new generation, or null when the state was already desired.
 */
export async function applyDesiredState(
  tx: Prisma.TransactionClient,
  row: { id: string; desiredState: string; exportFirst: boolean },
  desired: InstanceDesiredState,
  exportFirst: boolean,
): Promise<number | null> {
  if (row.desiredState === desired && row.exportFirst === exportFirst) return null;
  const updated = await tx.instance.update({
    where: { id: row.id },
    data: { desiredState: desired, exportFirst, desiredGeneration: { increment: 1 } },
    select: { desiredGeneration: true },
  });
  return updated.desiredGeneration;
}

export async function setDesiredState(
  communityId: string,
  state: DesiredState,
  options: SetDesiredStateOptions = {},
): Promise<Outcome> {
  const desired = TO_DB[desiredStateSchema.parse(state)];
  const community = await db.community.findUnique({ where: { id: communityId }, select: { software: true } });
  if (!community) throw new AppError("NOT_FOUND", "No such community.");
  const exportFirst = desired === "DELETED" && options.exportFirst === true;

  let result: Outcome;
  try {
    result = await apply(communityId, desired, exportFirst, community.software);
  } catch (error) {
    // Two first calls raced to create the row: the loser applies its change to the winner's row.
    if ((error as { code?: string }).code !== "P2002") throw error;
    result = await apply(communityId, desired, exportFirst, community.software);
  }

  // Enqueued after the commit; a lost job is picked up by the worker's sweep, never lost for good.
  if (result.instanceId) {
    const instanceId = result.instanceId;
    await enqueueReconcile(instanceId).catch((error: unknown) =>
      log.warn("could not enqueue reconcile; the sweep will pick it up", {
        instanceId,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  return result;
}
