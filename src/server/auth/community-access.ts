// Authorisation for one community, written into the queries: a person who may not see a
// community gets nothing back (404), never a hint that it exists.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { CommunityRole } from "@/generated/prisma/enums";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { isWellFormedAddress } from "@/lib/community-address";
import {
  HOST_ADMIN_COMMUNITY_PERMISSIONS,
  communityPermissionsOf,
  hasCommunityPermission,
  rolesWith,
  type Actor,
  type CommunityPermission,
} from "./permissions";

/** Prisma `where` matching the communities in which the actor has `permission`. */
export function communityWhere(actor: Actor, permission: CommunityPermission): Prisma.CommunityWhereInput {
  // A tenant deleted by a host admin is gone for everyone outside the admin area.
  if (actor.isHostAdmin && HOST_ADMIN_COMMUNITY_PERMISSIONS.includes(permission)) return { deletedAt: null };
  return { deletedAt: null, memberships: { some: { userId: actor.id, role: { in: rolesWith(permission) } } } };
}

export const NOT_FOUND_MESSAGE = "There is no such community, or you cannot see it.";

export type AuthorizedCommunity = {
  community: { id: string; slug: string; name: string; status: string; ownerId: string };
  role: CommunityRole | null;
  permissions: CommunityPermission[];
};

/**
 * Finds the community at `slug` for the actor and checks `permission`. Someone who may not
 * even read it gets NOT_FOUND; someone who may read it but not do this gets FORBIDDEN.
 */
export async function authorizeCommunity(
  actor: Actor,
  slug: string,
  permission: CommunityPermission,
): Promise<AuthorizedCommunity> {
  if (!isWellFormedAddress(slug)) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const found = await db.community.findFirst({
    where: { slug, ...communityWhere(actor, "community.read") },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      ownerId: true,
      memberships: { where: { userId: actor.id }, select: { role: true } },
    },
  });
  if (!found) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const { memberships, ...community } = found;
  const role = memberships[0]?.role ?? null;
  if (!hasCommunityPermission(actor, role, permission)) {
    throw new AppError("FORBIDDEN", "Your role in this community does not allow this.");
  }
  return { community, role, permissions: communityPermissionsOf(actor, role) };
}
