// Bringing a deleted community back: its former owner, who deleted it, starts a community at the
// same address and domain that moves in from its export (create-community.ts frees them for
// exactly that). The start form is filled in from the deleted community, so nothing has to be
// typed again. One rule decides, for the start form, its action and the dashboard alike.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";

/** The domain a deleted community is left with once its names are taken back (never a real name). */
export const TAKEN_BACK_DOMAIN = ".deleted.invalid";
const isTakenBack = (domain: string | null) => domain?.endsWith(TAKEN_BACK_DOMAIN) ?? false;

/** What the rule reads of a deleted community. */
export const takeBackSelect = {
  id: true,
  name: true,
  slug: true,
  domain: true,
  ownerId: true,
  deletedAt: true,
  adminSuspendedAt: true,
  instance: { select: { phase: true } },
} as const;
export type TakeBackRow = Prisma.CommunityGetPayload<{ select: typeof takeBackSelect }>;

/** Of these communities, those this person deleted themselves: a host admin's deletion ("tenant.deleted") is not the owner's to undo. */
export async function deletedByThemselves(actor: Actor, communityIds: string[]): Promise<Set<string>> {
  if (communityIds.length === 0) return new Set();
  const rows = await db.auditEvent.findMany({
    where: { communityId: { in: communityIds }, actorId: actor.id, action: "community.deleted" },
    select: { communityId: true },
  });
  return new Set(rows.flatMap((row) => (row.communityId ? [row.communityId] : [])));
}

/**
 * Whether this person may take a deleted community's names back: "yes"; "later" while its old
 * server is still being removed (or its removal failed and is retried); "never" when it is not
 * theirs to undo: someone else's, deleted by a host admin, suspended by one when it was deleted
 * (moving it back in would lift the suspension), or already taken back.
 */
export function takeBack(row: TakeBackRow, actor: Actor, deletedByThem: boolean): "yes" | "later" | "never" {
  if (!row.deletedAt || row.ownerId !== actor.id || !deletedByThem || row.adminSuspendedAt || isTakenBack(row.domain)) return "never";
  return row.instance && row.instance.phase !== "DELETED" ? "later" : "yes";
}

export type MoveBackIn = { name: string; deletedAt: Date; values: Record<string, string> };

/** The start form's values for moving one of this person's deleted communities back in; null unless it can be now. */
export async function moveBackInValues(actor: Actor, communityId: string): Promise<MoveBackIn | null> {
  const deleted = await db.community.findFirst({
    where: { id: communityId, ownerId: actor.id, deletedAt: { not: null } },
    select: { ...takeBackSelect, domainOwn: true, description: true, rules: true, software: true, planId: true },
  });
  if (!deleted || takeBack(deleted, actor, (await deletedByThemselves(actor, [deleted.id])).has(deleted.id)) !== "yes") return null;
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
