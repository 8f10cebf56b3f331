// Bringing a deleted community back: its former owner, who deleted it, starts a community at the
// same address and domain that moves in from its export (create-community.ts frees them for exactly that).
// The start form is filled in from the deleted community, so nothing has to be typed again.
import "server-only";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";

/** The domain a deleted community is left with once its names are taken back (never a real name). */
export const TAKEN_BACK_DOMAIN = ".deleted.invalid";
export const isTakenBack = (domain: string | null) => domain?.endsWith(TAKEN_BACK_DOMAIN) ?? false;

/** Of these communities, those this person deleted themselves: a host admin's deletion ("tenant.deleted") is not the owner's to undo. */
export async function deletedByThemselves(actor: Actor, communityIds: string[]): Promise<Set<string>> {
  const rows = await db.auditEvent.findMany({
    where: { communityId: { in: communityIds }, actorId: actor.id, action: "community.deleted" },
    select: { communityId: true },
  });
  return new Set(rows.flatMap((row) => (row.communityId ? [row.communityId] : [])));
}

export type MoveBackIn = { name: string; deletedAt: Date; values: Record<string, string> };

/** The start form's values for moving one of this person's deleted communities back in; null for any other id. */
export async function moveBackInValues(actor: Actor, communityId: string): Promise<MoveBackIn | null> {
  const deleted = await db.community.findFirst({
    where: { id: communityId, ownerId: actor.id, deletedAt: { not: null } },
    select: { name: true, slug: true, domain: true, domainOwn: true, description: true, rules: true, software: true, planId: true, deletedAt: true },
  });
  // Already taken back (its names were given to the community that moved it in).
  if (!deleted || isTakenBack(deleted.domain) || !(await deletedByThemselves(actor, [communityId])).has(communityId)) return null;
  return {
    name: deleted.name,
    deletedAt: deleted.deletedAt!,
    values: {
      name: deleted.name,
      address: deleted.slug,
      domainKind: deleted.domainOwn ? "own" : "base",
      ownDomain: deleted.domainOwn ? (deleted.domain ?? "") : "",
      software: deleted.software,
      planId: deleted.planId,
      start: "move-in",
      description: deleted.description,
      rules: deleted.rules,
    },
  };
}
