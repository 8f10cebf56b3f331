import "server-only";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import { hashInvitationToken } from "./invitation-token";

const INVALID = "This invitation link is not valid any more. Ask for a new one.";
const RANK = { OWNER: 0, ADMIN: 1, MEMBER: 2 } as const;

/**
 * Accepts an invitation as the signed-in person, whose email must be the invited one.
 * Idempotent: accepting again (a double click, a replayed form) answers with the same
 * community and changes nothing; an existing higher role is never lowered.
 */
export async function acceptInvitation(actor: Actor, token: string): Promise<{ slug: string }> {
  const tokenHash = hashInvitationToken(token);
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({
      where: { tokenHash },
      select: { id: true, email: true, role: true, expiresAt: true, acceptedAt: true, acceptedById: true, communityId: true, community: { select: { slug: true } } },
    });
    if (!invitation) throw new AppError("NOT_FOUND", INVALID);
    if (invitation.acceptedAt) {
      if (invitation.acceptedById === actor.id) return { slug: invitation.community.slug };
      throw new AppError("NOT_FOUND", INVALID);
    }
    if (invitation.expiresAt < new Date()) throw new AppError("CONFLICT", "This invitation has expired. Ask for a new one.");
    if (invitation.email !== actor.email.toLowerCase()) {
      throw new AppError("FORBIDDEN", `This invitation is for ${invitation.email}. Sign in with that email address to accept it.`);
    }
    // Claim it; a concurrent accept of the same link finds it taken.
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null },
      data: { acceptedAt: new Date(), acceptedById: actor.id },
    });
    if (count !== 1) throw new AppError("CONFLICT", "This invitation was just used. Reload the page.");
    const existing = await tx.membership.findUnique({
      where: { communityId_userId: { communityId: invitation.communityId, userId: actor.id } },
      select: { id: true, role: true },
    });
    if (!existing) {
      await tx.membership.create({ data: { communityId: invitation.communityId, userId: actor.id, role: invitation.role } });
    } else if (RANK[invitation.role] < RANK[existing.role]) {
      await tx.membership.update({ where: { id: existing.id }, data: { role: invitation.role } });
    }
    await recordAudit(tx, {
      actorId: actor.id,
      communityId: invitation.communityId,
      action: "member.joined",
      data: { invitationId: invitation.id, role: invitation.role },
    });
    return { slug: invitation.community.slug };
  });
}
