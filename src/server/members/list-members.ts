import "server-only";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";

/**
 * Members of a community (members.read) and, for those who manage members, the pending
 * invitations. Email addresses are shown only to those who manage members.
 */
export async function listMembers(actor: Actor, slug: string) {
  const { community, role, permissions } = await authorizeCommunity(actor, slug, "members.read");
  const manages = permissions.includes("members.manage");
  const memberships = await db.membership.findMany({
    where: { communityId: community.id },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  const invitations = manages
    ? await db.invitation.findMany({
        where: { communityId: community.id, acceptedAt: null },
        orderBy: { createdAt: "desc" },
        select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
      })
    : [];
  return {
    community,
    role,
    permissions,
    members: memberships.map((m) => ({
      id: m.id,
      role: m.role,
      since: m.createdAt,
      isYou: m.user.id === actor.id,
      name: m.user.name,
      email: manages || m.user.id === actor.id ? m.user.email : null,
    })),
    invitations: invitations.map((i) => ({ ...i, expired: i.expiresAt < new Date() })),
  };
}

export type MemberList = Awaited<ReturnType<typeof listMembers>>;
