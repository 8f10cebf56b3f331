// Money follows the server: a contribution to a deleted (CLOSED) community is ended in Stripe
// at once (no proration, no final invoice) and every payment of it that counts as arriving
// after the deletion (or, for a community that never went live, every payment) is refunded
// and recorded as a REFUND in the ledger. Called by syncSubscription, inside the caller's
// transaction and under the subscription's lock, whenever Hearth converges a subscription of
// a closed community: a webhook, the Checkout success page, or the worker's settlement sweep.
//
// Stripe is written to from inside the transaction. Both writes carry idempotency keys, so a
// transaction that fails after them repeats them harmlessly; refunds Stripe already made are
// read back and recorded before anything new is asked for.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { lockStripeObject } from "@/server/billing/lock";
import { stripe } from "@/server/billing/stripe";
import { seconds, stripeRefund, stripeSubscription, type StripeSubscription } from "@/server/billing/stripe-objects";
import { log } from "@/server/log";

type Tx = Prisma.TransactionClient;

const ENDED = new Set(["canceled", "incomplete_expired"]);

export const CLOSED_CANCELLATION_COMMENT = "Hearth: the community this contribution funded was deleted.";

/** Ends the subscription in Stripe if it still runs; returns it as Stripe has it afterwards. */
async function cancelInStripe(subscription: Pick<StripeSubscription, "id" | "status">): Promise<StripeSubscription | null> {
  if (ENDED.has(subscription.status)) return null;
  const canceled = await stripe().subscriptions.cancel(
    subscription.id,
    // Ends now: no proration credit or charge and no final invoice.
    { prorate: false, invoice_now: false, cancellation_details: { comment: CLOSED_CANCELLATION_COMMENT } },
    { idempotencyKey: `hearth-close-${subscription.id}` },
  );
  return stripeSubscription.parse(canceled);
}

type Payment = { id: string; amount: number; currency: string; stripePaymentIntentId: string; refunded: number };

/** Payments of this contribution that must be refunded, with what was refunded of each so far. */
async function paymentsToRefund(tx: Tx, contributionId: string, communityId: string): Promise<Payment[]> {
  const rows = await tx.$queryRaw<(Omit<Payment, "refunded"> & { refunded: bigint })[]>`
    SELECT p."id", p."amount", p."currency", p."stripePaymentIntentId",
      COALESCE((SELECT -SUM(r."amount") FROM "LedgerEntry" r
                WHERE r."kind" = 'REFUND' AND r."stripePaymentIntentId" = p."stripePaymentIntentId"), 0)::bigint AS "refunded"
    FROM "LedgerEntry" p
    JOIN "CommunityFunding" f ON f."communityId" = p."communityId"
    WHERE p."contributionId" = ${contributionId} AND p."communityId" = ${communityId} AND p."kind" = 'PAYMENT'
      AND p."stripePaymentIntentId" IS NOT NULL AND f."refundPaymentsFrom" IS NOT NULL AND p."createdAt" >= f."refundPaymentsFrom"`;
  return rows.map((row) => ({ ...row, refunded: Number(row.refunded) })).filter((row) => row.amount > row.refunded);
}

/** Records refunds Stripe has made of this payment (by anyone) that the ledger does not know yet. */
async function recordRefunds(tx: Tx, payment: Payment & { contributionId: string; communityId: string }, refunds: unknown[]): Promise<number> {
  let recorded = 0;
  for (const raw of refunds) {
    const refund = stripeRefund.parse(raw);
    if (refund.status !== "succeeded" || refund.amount <= 0) continue;
    const [known] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "LedgerEntry" WHERE "stripeRefundId" = ${refund.id}`;
    if (known) continue;
    await tx.ledgerEntry.create({
      data: {
        communityId: payment.communityId,
        contributionId: payment.contributionId,
        kind: "REFUND",
        amount: -refund.amount,
        currency: refund.currency,
        stripeRefundId: refund.id,
        stripePaymentIntentId: payment.stripePaymentIntentId,
        occurredAt: seconds(refund.created),
      },
      select: { id: true },
    });
    payment.refunded += refund.amount;
    recorded += 1;
  }
  return recorded;
}

async function refundPayment(tx: Tx, payment: Payment & { contributionId: string; communityId: string }): Promise<number> {
  const intent = await stripe().paymentIntents.retrieve(payment.stripePaymentIntentId);
  const chargeId = typeof intent.latest_charge === "string" ? intent.latest_charge : (intent.latest_charge?.id ?? null);
  if (!chargeId) {
    log.warn("payment of a closed community has no charge to refund", { paymentIntent: payment.stripePaymentIntentId });
    return 0;
  }
  // The charge's lock, as syncChargeRefunds takes it: its charge.refunded event waits for this
  // transaction and then finds the refund recorded.
  await lockStripeObject(tx, chargeId);
  let recorded = await recordRefunds(tx, payment, (await stripe().refunds.list({ charge: chargeId, limit: 100 })).data);
  const remaining = payment.amount - payment.refunded;
  if (remaining <= 0) return recorded;
  const refund = await stripe().refunds.create(
    {
      charge: chargeId,
      amount: remaining,
      reason: "requested_by_customer",
      metadata: { hearthReason: "community-deleted", hearthCommunityId: payment.communityId, hearthLedgerEntryId: payment.id },
    },
    { idempotencyKey: `hearth-close-refund-${payment.id}-${remaining}` },
  );
  recorded += await recordRefunds(tx, payment, [refund]);
  return recorded;
}

/**
 * Settles one contribution of a closed community. The caller holds the subscription's lock and
 * has just re-read `subscription` from Stripe.
 */
export async function settleClosedSubscription(
  tx: Tx,
  input: { contributionId: string; communityId: string; subscription: Pick<StripeSubscription, "id" | "status"> },
): Promise<{ canceled: boolean; refunds: number }> {
  const canceled = await cancelInStripe(input.subscription);
  if (canceled) {
    await tx.contribution.update({
      where: { id: input.contributionId },
      data: { status: "CANCELED", cancelAtPeriodEnd: false, endedAt: canceled.ended_at ? seconds(canceled.ended_at) : new Date() },
    });
  }
  let refunds = 0;
  for (const payment of await paymentsToRefund(tx, input.contributionId, input.communityId)) {
    refunds += await refundPayment(tx, { ...payment, contributionId: input.contributionId, communityId: input.communityId });
  }
  if (canceled || refunds > 0) {
    log.info("settled a contribution of a deleted community", { contributionId: input.contributionId, canceled: Boolean(canceled), refunds });
  }
  return { canceled: Boolean(canceled), refunds };
}
