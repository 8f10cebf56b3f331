// After a community is deleted (funding CLOSED): every checkout still open for it is expired,
// every subscription cancelled and every payment that must go back is refunded, through the
// same convergence the webhook uses (syncSubscription -> settleClosedSubscription). Called
// right after the deletion commits, and by the worker's funding clock for any closed
// community with something left to settle, so a Stripe outage only delays it.
import "server-only";
import { lockStripeObject } from "@/server/billing/lock";
import { stripe } from "@/server/billing/stripe";
import { stripeCheckoutSession } from "@/server/billing/stripe-objects";
import { syncCheckoutSession } from "@/server/billing/sync-checkout-session";
import { syncSubscription } from "@/server/billing/sync-subscription";
import { db } from "@/server/db/client";
import { log } from "@/server/log";

const TX = { maxWait: 10_000, timeout: 60_000 } as const;

/** Closed communities with a contribution still open or a payment still to refund. */
export async function unsettledClosedCommunities(limit = 100): Promise<string[]> {
  const rows = await db.$queryRaw<{ communityId: string }[]>`
    SELECT f."communityId" FROM "CommunityFunding" f
    WHERE f."state" = 'CLOSED' AND (
      EXISTS (SELECT 1 FROM "Contribution" c
              WHERE c."communityId" = f."communityId" AND c."status" NOT IN ('CANCELED', 'INCOMPLETE_EXPIRED'))
      OR EXISTS (SELECT 1 FROM "LedgerEntry" p
              WHERE p."communityId" = f."communityId" AND p."kind" = 'PAYMENT' AND p."stripePaymentIntentId" IS NOT NULL
                AND f."refundPaymentsFrom" IS NOT NULL AND p."createdAt" >= f."refundPaymentsFrom"
                AND p."amount" + COALESCE((SELECT SUM(r."amount") FROM "LedgerEntry" r
                                           WHERE r."kind" = 'REFUND' AND r."stripePaymentIntentId" = p."stripePaymentIntentId"), 0) > 0))
    LIMIT ${limit}`;
  return rows.map((row) => row.communityId);
}

/** Settles one closed community; returns what is still open (0 when everything is settled). */
export async function settleClosedCommunity(communityId: string): Promise<{ open: number }> {
  const funding = await db.communityFunding.findUnique({ where: { communityId }, select: { state: true } });
  if (funding?.state !== "CLOSED") return { open: 0 };

  // Checkouts that never completed: closed in Stripe so nobody can pay them any more. One that
  // completed meanwhile is linked to its subscription, which is then settled like the others.
  const pending = await db.contribution.findMany({ where: { communityId, status: "PENDING" }, select: { id: true, stripeCheckoutSessionId: true } });
  for (const contribution of pending) {
    try {
      if (contribution.stripeCheckoutSessionId) {
        let session = stripeCheckoutSession.parse(await stripe().checkout.sessions.retrieve(contribution.stripeCheckoutSessionId));
        if (session.status === "open") {
          session = stripeCheckoutSession.parse(
            await stripe().checkout.sessions.expire(session.id, {}, { idempotencyKey: `hearth-close-expire-${session.id}` }),
          );
        }
        if (session.status === "complete") {
          await db.$transaction((tx) => syncCheckoutSession(tx, session.id), TX);
          continue;
        }
      }
      await db.contribution.updateMany({ where: { id: contribution.id, status: "PENDING" }, data: { status: "INCOMPLETE_EXPIRED" } });
    } catch (error) {
      log.warn("could not close a checkout of a deleted community; the funding clock retries", { contributionId: contribution.id, error: String(error) });
    }
  }

  const subscribed = await db.contribution.findMany({
    where: { communityId, stripeSubscriptionId: { not: null } },
    select: { id: true, stripeSubscriptionId: true },
  });
  for (const contribution of subscribed) {
    const subscriptionId = contribution.stripeSubscriptionId!;
    try {
      await db.$transaction(async (tx) => {
        await lockStripeObject(tx, subscriptionId);
        await syncSubscription(tx, subscriptionId, { locked: true });
      }, TX);
    } catch (error) {
      log.warn("could not settle a subscription of a deleted community; the funding clock retries", { subscriptionId, error: String(error) });
    }
  }
  const open = (await unsettledClosedCommunities(1000)).includes(communityId) ? 1 : 0;
  return { open };
}
