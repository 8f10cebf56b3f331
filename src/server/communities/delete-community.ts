import "server-only";
import type { z } from "zod";
import { authorizeCommunity, communityWhere, NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import type { deleteCommunitySchema } from "./schemas";

// Only communities without an instance can simply be removed; one with an instance must
// be exported and taken down first (the provisioning work adds that path).
const DELETABLE = ["DRAFT", "AWAITING_FUNDING"] as const;

/** Deletes a community that has no instance yet (community.delete), after the address is typed to confirm. */
export async function deleteCommunity(actor: Actor, input: z.infer<typeof deleteCommunitySchema>) {
  const { community } = await authorizeCommunity(actor, input.community, "community.delete");
  if (input.confirm !== community.slug) {
    throw new AppError("UNPROCESSABLE", "Some fields need attention.", {
      confirm: `Type the address “${community.slug}” to confirm.`,
    });
  }
  if (!(DELETABLE as readonly string[]).includes(community.status)) {
    throw new AppError("CONFLICT", "This community has an instance. It must be exported and taken down before it can be deleted.");
  }
  await db.$transaction(async (tx) => {
    // Money already moved for this community: its ledger is kept and it cannot simply vanish.
    // Checkouts that were never paid go with it.
    const funded = await tx.contribution.count({ where: { communityId: community.id, status: { notIn: ["PENDING", "INCOMPLETE_EXPIRED"] } } });
    if (funded > 0 || (await tx.ledgerEntry.count({ where: { communityId: community.id } })) > 0) {
      throw new AppError("CONFLICT", "People have contributed to this community, so it cannot be deleted here. Ask the host to close it.");
    }
    await tx.contribution.deleteMany({ where: { communityId: community.id } });
    const { count } = await tx.community.deleteMany({
      where: { id: community.id, status: { in: [...DELETABLE] }, ...communityWhere(actor, "community.delete") },
    });
    if (count !== 1) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
    await recordAudit(tx, { actorId: actor.id, communityId: community.id, action: "community.deleted", data: { slug: community.slug } });
  });
}
