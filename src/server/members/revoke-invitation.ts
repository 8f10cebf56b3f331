import "server-only";
import type { z } from "zod";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import type { revokeInvitationSchema } from "./schemas";

/** Withdraws an unused invitation (members.manage; admins.manage for an admin invitation). */
export async function revokeInvitation(actor: Actor, input: z.infer<typeof revokeInvitationSchema>) {
  const { community, permissions } = await authorizeCommunity(actor, input.community, "members.manage");
  const invitation = await db.invitation.findFirst({
    where: { id: input.invitationId, communityId: community.id, acceptedAt: null },
    select: { id: true, role: true },
  });
  if (!invitation) throw new AppError("NOT_FOUND", "There is no such invitation.");
  if (invitation.role === "ADMIN" && !permissions.includes("admins.manage")) {
    throw new AppError("FORBIDDEN", "Only the owner can withdraw an admin invitation.");
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.invitation.deleteMany({ where: { id: invitation.id, communityId: community.id, acceptedAt: null } });
    if (count !== 1) throw new AppError("NOT_FOUND", "There is no such invitation.");
    await recordAudit(tx, { actorId: actor.id, communityId: community.id, action: "member.invitation_revoked", data: { invitationId: invitation.id } });
  });
}
