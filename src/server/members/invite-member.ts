import "server-only";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import { consume } from "@/server/rate-limit/rate-limit";
import { queueEmail } from "@/server/mail/queue-email";
import { publicUrl } from "@/server/site/public-url";
import { INVITATION_DAYS, invitationPath, newInvitationToken } from "./invitation-token";
import type { InviteInput } from "./schemas";

export const INVITES_PER_COMMUNITY = { bucket: "invite:community", max: 50, windowSeconds: 24 * 60 * 60 };

/**
 * Invites someone by email (members.manage; admins.manage to invite an admin): the link is
 * mailed to the invitee (queued in the same transaction) and returned to show once; only its
 * hash is stored. Inviting the same email again replaces the earlier, unused invitation.
 */
export async function inviteMember(actor: Actor, input: InviteInput) {
  const { community, permissions } = await authorizeCommunity(actor, input.community, "members.manage");
  if (input.role === "ADMIN" && !permissions.includes("admins.manage")) {
    throw new AppError("FORBIDDEN", "Only the owner can invite admins.", { role: "Only the owner can invite admins." });
  }
  const already = await db.membership.findFirst({
    where: { communityId: community.id, user: { email: input.email } },
    select: { id: true },
  });
  if (already) {
    throw new AppError("CONFLICT", "Some fields need attention.", { email: "This person is already a member." });
  }
  const limited = await consume(INVITES_PER_COMMUNITY, community.id);
  if (!limited.allowed) throw new AppError("RATE_LIMITED", "This community has sent many invitations today. Try again tomorrow.");

  const { token, tokenHash } = newInvitationToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  await db.$transaction(async (tx) => {
    await tx.invitation.deleteMany({ where: { communityId: community.id, email: input.email, acceptedAt: null } });
    const invitation = await tx.invitation.create({
      data: { communityId: community.id, email: input.email, role: input.role, tokenHash, expiresAt, invitedById: actor.id },
      select: { id: true },
    });
    await queueEmail(tx, {
      kind: "member.invitation",
      toEmail: input.email,
      communityId: community.id,
      data: { communityName: community.name, inviter: actor.name ?? actor.email, role: input.role, expiresAt: expiresAt.toISOString() },
      secrets: { url: publicUrl(invitationPath(token)) },
      dedupeKey: `invitation:${invitation.id}`,
    });
    await recordAudit(tx, {
      actorId: actor.id,
      communityId: community.id,
      action: "member.invited",
      data: { invitationId: invitation.id, role: input.role },
    });
  });
  return { path: invitationPath(token), email: input.email, expiresAt };
}
