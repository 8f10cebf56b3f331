// Deleting a community, whoever does it (its owner from the dashboard, a host admin from the
// tenant page): one lifecycle that money follows.
//
//   in the caller's transaction, with the community row locked:
//     instance -> desired DELETED (export first if asked and there is anything to export)
//     Community.deletedAt set: gone from every page but the admin's
//     funding -> CLOSED (evaluateFunding): final; contributors and organiser told why (outbox)
//   after the commit:
//     the worker is woken for the instance; every checkout expired, every subscription
//     cancelled at once and money that must go back refunded (settleClosedCommunity; the
//     worker's funding clock retries whatever Stripe refused)
//
// A community that never had an instance, a contribution or a ledger row leaves nothing to
// account for: its row is removed outright instead.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { evaluateFunding, fundingNow, settleClosedCommunity } from "@/server/funding";
import { hasServerData, lockInstance, requestState, wakeInstance } from "@/server/provisioning";
import { log } from "@/server/log";

type Tx = Prisma.TransactionClient;

export type CloseOutcome = {
  mode: "removed" | "closed";
  /** The instance the worker must take down (after the commit), if any. */
  instanceId: string | null;
  communityId: string;
  exported: boolean;
};

async function leavesNothing(tx: Tx, communityId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ anything: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "Contribution" WHERE "communityId" = ${communityId})
        OR EXISTS (SELECT 1 FROM "LedgerEntry" WHERE "communityId" = ${communityId}) AS "anything"`;
  return !row?.anything;
}

/** The caller has locked the community row (FOR UPDATE) and checked who may do this. */
export async function closeCommunity(tx: Tx, communityId: string, options: { exportFirst: boolean }): Promise<CloseOutcome> {
  const instance = await lockInstance(tx, communityId);
  // Pending checkouts count: a checkout opened before the deletion can still be paid, and that
  // money must find a community to be refunded from.
  if (!instance && (await leavesNothing(tx, communityId))) {
    await tx.community.delete({ where: { id: communityId } });
    return { mode: "removed", instanceId: null, communityId, exported: false };
  }
  // Only an instance that ever came up has data to export; one that never did (stuck on its
  // images, say) is simply removed, or the deletion would wait on an export that cannot be.
  const exportFirst = options.exportFirst && instance !== null && hasServerData(instance);
  const deleting = instance ? await requestState(tx, instance, "DELETED", exportFirst) : false;
  await tx.community.update({ where: { id: communityId }, data: { deletedAt: new Date() } });
  await evaluateFunding(tx, communityId, fundingNow());
  return { mode: "closed", instanceId: deleting ? instance!.id : null, communityId, exported: exportFirst };
}

/** After the commit. Never throws: what fails here is retried by the worker. */
export async function afterClose(outcome: CloseOutcome): Promise<void> {
  if (outcome.mode !== "closed") return;
  if (outcome.instanceId) {
    await wakeInstance(outcome.instanceId).catch((error: unknown) =>
      log.warn("could not wake the worker for a deleted instance; the sweep picks it up", { error: String(error) }),
    );
  }
  await settleClosedCommunity(outcome.communityId).catch((error: unknown) =>
    log.warn("settling a deleted community failed; the funding clock retries", { communityId: outcome.communityId, error: String(error) }),
  );
}
