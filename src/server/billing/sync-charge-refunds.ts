// Converges refunds of one charge: re-reads the charge and its refunds from Stripe and
// records each succeeded refund once (unique refund id) against the payment it reverses.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { log } from "@/server/log";
import { stripe } from "./stripe";
import { lockStripeObject } from "./lock";
import { seconds, stripeCharge, stripeRefund } from "./stripe-objects";
import { syncSubscription, type SyncResult } from "./sync-subscription";

type Tx = Prisma.TransactionClient;

function findPayment(tx: Tx, paymentIntentId: string) {
  return tx.ledgerEntry.findFirst({ where: { kind: "PAYMENT", stripePaymentIntentId: paymentIntentId } });
}

export async function syncChargeRefunds(tx: Tx, chargeId: string): Promise<SyncResult> {
  await lockStripeObject(tx, chargeId);
  const charge = stripeCharge.parse(await stripe().charges.retrieve(chargeId));
  if (!charge.payment_intent) return null;

  let payment = await findPayment(tx, charge.payment_intent);
  let paymentsChanged = false;
  if (!payment && charge.customer) {
    // The refund got here before the payment was recorded: record the customer's payments first.
    const contributions = await tx.contribution.findMany({
      where: { stripeCustomerId: charge.customer, stripeSubscriptionId: { not: null } },
      select: { stripeSubscriptionId: true },
    });
    for (const { stripeSubscriptionId } of contributions) {
      paymentsChanged = Boolean((await syncSubscription(tx, stripeSubscriptionId!))?.ledgerChanged) || paymentsChanged;
    }
    payment = await findPayment(tx, charge.payment_intent);
  }
  if (!payment) {
    log.warn("refunded charge is not a payment Hearth recorded; ignored", { chargeId });
    return null;
  }

  const refunds = await stripe().refunds.list({ charge: charge.id, limit: 100 });
  const entries = refunds.data
    .map((raw) => stripeRefund.parse(raw))
    .filter((refund) => refund.status === "succeeded" && refund.amount > 0)
    .map((refund) => ({
      communityId: payment.communityId,
      contributionId: payment.contributionId,
      kind: "REFUND" as const,
      amount: -refund.amount,
      currency: refund.currency,
      stripeRefundId: refund.id,
      stripePaymentIntentId: charge.payment_intent,
      occurredAt: seconds(refund.created),
    }));
  const { count } = entries.length > 0 ? await tx.ledgerEntry.createMany({ data: entries, skipDuplicates: true }) : { count: 0 };
  return { communityId: payment.communityId, ledgerChanged: count > 0 || paymentsChanged };
}
