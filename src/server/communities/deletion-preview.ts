// What the owner's delete section says will happen, from the same facts close-community.ts acts on.
import "server-only";
import { db } from "@/server/db/client";
import { SUPPORTING } from "@/server/funding";
import { hasServerData } from "@/server/provisioning";

export async function deletionPreview(communityId: string) {
  const [instance, hosted, supporters] = await Promise.all([
    db.instance.findUnique({ where: { communityId }, select: { provisionedAt: true, webAddress: true } }),
    db.ledgerEntry.count({ where: { communityId, kind: "HOSTING" } }),
    db.contribution.count({ where: { communityId, status: { in: [...SUPPORTING] } } }),
  ]);
  return {
    /** A server came up: it has data worth exporting (the same rule closeCommunity applies). */
    hasServer: instance !== null && hasServerData(instance),
    /** No month of hosting was ever charged: every contribution is refunded. */
    refundsAll: hosted === 0,
    supporters,
  };
}
