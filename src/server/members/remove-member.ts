import "server-only";
import type { z } from "zod";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import type { removeMemberSchema } from "./schemas";

/**
 * Removes a member (members.manage; admins.manage to remove an admin). Anyone but the owner
 * may also leave, i.e. remove themselves. The owner is never removed.
 */
export async function removeMember(actor: Actor, input: z.infer<typeof removeMemberSchema>): Promise<{ left: boolean }> {
  const { community, permissions } = await authorizeCommunity(actor, input.community, "community.read");
  const target = await db.membership.findFirst({
    where: { id: input.membershipId, communityId: community.id },
    select: { id: true, role: true, userId: true },
  });
  if (!target) throw new AppError("NOT_FOUND", "There is no such member.");
  if (target.role === "OWNER") throw new AppError("FORBIDDEN", "The owner cannot be removed from the community.");
  const leaving = target.userId === actor.id;
  const needed = target.role === "ADMIN" ? "admins.manage" : "members.manage";
  if (!leaving && !permissions.includes(needed)) {
    throw new AppError("FORBIDDEN", target.role === "ADMIN" ? "Only the owner can remove an admin." : "Your role does not allow removing members.");
  }
  await db.$transaction(async (tx) => {
    // The role is part of the condition: if it changed since the check, nothing happens.
    const { count } = await tx.membership.deleteMany({ where: { id: target.id, communityId: community.id, role: target.role } });
    if (count !== 1) throw new AppError("CONFLICT", "This member changed in the meantime. Reload the page.");
    await recordAudit(tx, {
      actorId: actor.id,
      communityId: community.id,
      action: leaving ? "member.left" : "member.removed",
      data: { userId: target.userId, role: target.role },
    });
  });
  return { left: leaving };
}
