import "server-only";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";

/** The communities the actor belongs to, newest first, with their role in each. */
export async function listMyCommunities(actor: Actor) {
  return db.membership.findMany({
    where: { userId: actor.id, community: { deletedAt: null } },
    orderBy: { createdAt: "desc" },
    select: {
      role: true,
      community: { select: { slug: true, name: true, status: true, software: true } },
    },
  });
}
