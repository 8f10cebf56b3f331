// The owner deletes their community (community.delete), after typing its address: the same
// lifecycle as a host admin's deletion (close-community.ts). Its instance is taken down,
// exported first unless the owner unticks it; every contribution ends at once and
// contributors are told why; a community that never went live has every payment refunded.
import "server-only";
import type { z } from "zod";
import { authorizeCommunity, communityWhere, NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import { afterClose, closeCommunity, type CloseOutcome } from "./close-community";
import type { deleteCommunitySchema } from "./schemas";

export async function deleteCommunity(actor: Actor, input: z.infer<typeof deleteCommunitySchema>): Promise<CloseOutcome> {
  const { community } = await authorizeCommunity(actor, input.community, "community.delete");
  if (input.confirm !== community.slug) {
    throw new AppError("UNPROCESSABLE", "Some fields need attention.", {
      confirm: `Type the address “${community.slug}” to confirm.`,
    });
  }
  const outcome = await db.$transaction(async (tx) => {
    // The row lock (NO KEY: rows that refer to it can still be written, or a webhook that holds
    // the funding row would deadlock with us) makes a second deletion or an admin action wait;
    // the permission is asked again under it.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Community" WHERE "id" = ${community.id} AND "deletedAt" IS NULL FOR NO KEY UPDATE`;
    const allowed = locked && (await tx.community.count({ where: { id: community.id, ...communityWhere(actor, "community.delete") } })) === 1;
    if (!allowed) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
    const closed = await closeCommunity(tx, community.id, { exportFirst: input.exportFirst });
    await recordAudit(tx, {
      actorId: actor.id,
      communityId: community.id,
      action: "community.deleted",
      data: { slug: community.slug, mode: closed.mode, exportFirst: closed.exported },
    });
    return closed;
  });
  await afterClose(outcome);
  return outcome;
}
