import "server-only";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { hashInvitationToken } from "./invitation-token";

export type InvitationView =
  | { state: "invalid" }
  | { state: "expired" | "pending" | "accepted-by-you"; communityName: string; slug: string; role: string; email: string };

/** What the holder of an invitation link may know about it. */
export async function getInvitation(token: string, actor: Actor | null): Promise<InvitationView> {
  if (token.length < 10 || token.length > 200) return { state: "invalid" };
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    select: { email: true, role: true, expiresAt: true, acceptedAt: true, acceptedById: true, community: { select: { name: true, slug: true } } },
  });
  if (!invitation) return { state: "invalid" };
  const view = { communityName: invitation.community.name, slug: invitation.community.slug, role: invitation.role, email: invitation.email };
  if (invitation.acceptedAt) {
    return actor && invitation.acceptedById === actor.id ? { state: "accepted-by-you", ...view } : { state: "invalid" };
  }
  return { state: invitation.expiresAt < new Date() ? "expired" : "pending", ...view };
}
