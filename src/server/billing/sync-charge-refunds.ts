// Converges refunds of one charge: re-reads the charge with its refunds from Stripe and
// records each succeeded refund once (unique refund id) against the payment it reverses.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { log } from "@/server/log";
import { stripe } from "./stripe";
import { lockStripeObject } from "./lock";
import { seconds, stripeCharge, stripeInvoice, stripeRefund } from "./stripe-objects";
import { syncSubscription, type SyncResult } from "./sync-subscription";

type Tx = Prisma.TransactionClient;

function findPayment(tx: Tx, paymentIntentId: string) {
  return tx.ledgerEntry.findFirst({ where: { kind: "PAYMENT", stripePaymentIntentId: paymentIntentId } });
}

export async function syncChargeRefunds(tx: Tx, chargeId: string, options: { locked?: boolean } = {}): Promise<SyncResult> {
  if (!options.locked) await lockStripeObject(tx, chargeId);
  const charge = stripeCharge.parse(await stripe().charges.retrieve(chargeId, { expand: ["refunds"] }));
  if (!charge.payment_intent) return null;

  let payment = await findPayment(tx, charge.payment_intent);
  let paymentChanged = false;
  if (!payment && charge.customer) {
    // The refund got here before its payment was recorded: find the invoice it paid and record that first.
    const invoices = await stripe().invoices.list({ customer: charge.customer, status: "paid", limit: 100, expand: ["data.payments"] });
    const paid = invoices.data.map((raw) => stripeInvoice.parse(raw)).find((invoice) => invoice.payments?.data.some((p) => p.payment.payment_intent === charge.payment_intent));
    const subscriptionId = paid?.parent?.subscription_details?.subscription;
    if (paid && subscriptionId) paymentChanged = Boolean((await syncSubscription(tx, subscriptionId, { invoiceId: paid.id }))?.ledgerChanged);
    payment = await findPayment(tx, charge.payment_intent);
  }
  if (!payment) {
    log.warn("refunded charge is not a payment Hearth recorded; ignored", { chargeId });
    return null;
  }

  // The expanded list holds the newest few; a charge with more is listed in full.
  const refunds = charge.refunds.has_more
    ? (await stripe().refunds.list({ charge: charge.id, limit: 100 })).data.map((raw) => stripeRefund.parse(raw))
    : charge.refunds.data;
  const entries = refunds
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
  // Under the charge's lock, as for payments: look up, then record what is new.
  const known = new Set(
    (await tx.ledgerEntry.findMany({ where: { stripeRefundId: { in: entries.map((e) => e.stripeRefundId) } }, select: { stripeRefundId: true } })).map(
      (e) => e.stripeRefundId,
    ),
  );
  const fresh = entries.filter((entry) => !known.has(entry.stripeRefundId));
  const { count } = fresh.length > 0 ? await tx.ledgerEntry.createMany({ data: fresh }) : { count: 0 };
  return { communityId: payment.communityId, ledgerChanged: count > 0 || paymentChanged };
}
