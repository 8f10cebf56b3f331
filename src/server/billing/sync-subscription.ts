// Converges Hearth's record of one contribution with Stripe: re-reads the subscription and
// an invoice (the one the event is about, else the subscription's latest) in one request,
// and writes what they say. Every subscription and invoice event ends here, in whatever
// order they arrive; running it again changes nothing. Each paid invoice is recorded when
// its own invoice.paid is processed, which Stripe retries until it succeeds.
//
// A subscription of a deleted (CLOSED) community is settled here too, whoever reports it:
// cancelled at once if it still runs, and payments that arrived after the deletion refunded
// (settle-closed-subscription.ts). So no event order can fund a deleted community.
import "server-only";
import { Prisma, type Contribution } from "@/generated/prisma/client";
import type { ContributionStatus } from "@/generated/prisma/enums";
import { log } from "@/server/log";
import { queueContributorEmail } from "@/server/funding/notify";
import { settleClosedSubscription } from "@/server/funding/settle-closed-subscription";
import { stripe } from "./stripe";
import { lockStripeObject } from "./lock";
import {
  seconds,
  stripeInvoiceWithSubscription,
  stripeSubscriptionWithInvoice,
  type StripeInvoice,
  type StripeSubscription,
} from "./stripe-objects";

type Tx = Prisma.TransactionClient;

const STATUS: Record<StripeSubscription["status"], ContributionStatus> = {
  incomplete: "INCOMPLETE",
  incomplete_expired: "INCOMPLETE_EXPIRED",
  trialing: "TRIALING",
  active: "ACTIVE",
  past_due: "PAST_DUE",
  unpaid: "UNPAID",
  paused: "PAUSED",
  canceled: "CANCELED",
};

// What converging compares and links; read by hand because every subscription event reads it
// (a Prisma model query costs about twice the CPU of the same statement sent raw).
type SyncedContribution = Pick<
  Contribution,
  "id" | "communityId" | "userId" | "stripeCustomerId" | "stripeSubscriptionId" | "status" | "amount" | "currency" | "cancelAtPeriodEnd" | "currentPeriodEnd" | "endedAt"
> & { fundingClosed: boolean; invoiceRecorded: boolean };

// With it, whether the invoice read with the subscription is in the ledger already (a second
// sight of an invoice is a no-op): one statement where two were.
async function contributionWhere(tx: Tx, column: Prisma.Sql, value: string, invoiceId: string | null): Promise<SyncedContribution | null> {
  const [row] = await tx.$queryRaw<SyncedContribution[]>`
    SELECT c."id", c."communityId", c."userId", c."stripeCustomerId", c."stripeSubscriptionId", c."status"::text AS "status",
           c."amount", c."currency", c."cancelAtPeriodEnd", c."currentPeriodEnd", c."endedAt",
           EXISTS (SELECT 1 FROM "CommunityFunding" f WHERE f."communityId" = c."communityId" AND f."state" = 'CLOSED') AS "fundingClosed",
           EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."stripeInvoiceId" = ${invoiceId}::text) AS "invoiceRecorded"
    FROM "Contribution" c WHERE c.${column} = ${value}`;
  return row ?? null;
}

async function findContribution(tx: Tx, subscription: StripeSubscription, invoiceId: string | null) {
  const linked = await contributionWhere(tx, Prisma.sql`"stripeSubscriptionId"`, subscription.id, invoiceId);
  if (linked) return linked;
  // Not linked yet (this event beat checkout.session.completed): Hearth put its id in the
  // subscription's metadata, and the customer must be the one the contribution was made for.
  const id = subscription.metadata.contributionId;
  if (!id) return null;
  const candidate = await contributionWhere(tx, Prisma.sql`"id"`, id, invoiceId);
  return candidate && candidate.stripeCustomerId === subscription.customer ? candidate : null;
}

function paymentEntry(invoice: StripeInvoice, contribution: { id: string; communityId: string }) {
  const paymentIntent = invoice.payments?.data.find((p) => p.status === "paid")?.payment.payment_intent ?? null;
  const period = invoice.lines.data[0]?.period;
  return {
    communityId: contribution.communityId,
    contributionId: contribution.id,
    kind: "PAYMENT" as const,
    amount: invoice.amount_paid,
    currency: invoice.currency,
    stripeInvoiceId: invoice.id,
    stripePaymentIntentId: paymentIntent,
    receiptUrl: invoice.hosted_invoice_url ?? null,
    periodStart: period ? seconds(period.start) : null,
    periodEnd: period ? seconds(period.end) : null,
    occurredAt: seconds(invoice.status_transitions.paid_at ?? Math.floor(Date.now() / 1000)),
  };
}

export type SyncResult = { communityId: string; ledgerChanged: boolean } | null;

async function read(subscriptionId: string, invoiceId?: string): Promise<{ subscription: StripeSubscription; invoice: StripeInvoice | null }> {
  if (invoiceId) {
    const invoice = stripeInvoiceWithSubscription.parse(
      await stripe().invoices.retrieve(invoiceId, { expand: ["payments", "parent.subscription_details.subscription"] }),
    );
    const subscription = invoice.parent.subscription_details.subscription;
    if (subscription.id !== subscriptionId) throw new Error(`invoice ${invoiceId} does not belong to ${subscriptionId}`);
    return { subscription, invoice: { ...invoice, parent: { subscription_details: { subscription: subscription.id } } } };
  }
  const subscription = stripeSubscriptionWithInvoice.parse(
    await stripe().subscriptions.retrieve(subscriptionId, { expand: ["latest_invoice.payments"] }),
  );
  const latest = subscription.latest_invoice;
  const invoice = latest === null || typeof latest === "string" ? null : latest;
  return { subscription: { ...subscription, latest_invoice: invoice ? invoice.id : (latest as string | null) }, invoice };
}

/** The contribution's community and whether its ledger changed; null for a subscription Hearth did not make. */
export async function syncSubscription(
  tx: Tx,
  subscriptionId: string,
  options: { invoiceId?: string; locked?: boolean } = {},
): Promise<SyncResult> {
  const { invoiceId } = options;
  if (!options.locked) await lockStripeObject(tx, subscriptionId);
  const { subscription, invoice } = await read(subscriptionId, invoiceId);
  const contribution = await findContribution(tx, subscription, invoice?.id ?? null);
  if (!contribution) {
    log.warn("stripe subscription not made by Hearth; ignored", { subscriptionId });
    return null;
  }

  const status = STATUS[subscription.status];
  const amount = subscription.items.data.reduce((sum, item) => sum + (item.price.unit_amount ?? 0) * (item.quantity ?? 1), 0);
  const periodEnd = Math.max(0, ...subscription.items.data.map((item) => item.current_period_end));
  const fields = {
    stripeSubscriptionId: subscription.id,
    status,
    amount,
    currency: subscription.currency,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    currentPeriodEnd: periodEnd ? seconds(periodEnd) : null,
    endedAt: subscription.ended_at ? seconds(subscription.ended_at) : null,
  };
  const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);
  const unchanged = (Object.keys(fields) as (keyof typeof fields)[]).every((key) => same(fields[key] as unknown, contribution[key]));
  if (!unchanged) await tx.contribution.update({ where: { id: contribution.id }, data: fields });

  // A second sight of an invoice is a no-op. Looked up with the contribution (cheaper than
  // Prisma's createMany with skipDuplicates): under the subscription's lock nobody else records
  // its invoices, and the unique invoice id still refuses a duplicate should that ever change.
  let count = 0;
  if (invoice && invoice.status === "paid" && invoice.amount_paid > 0) {
    if (!contribution.invoiceRecorded) {
      // Taken before the payment is recorded (as evaluateFunding takes it next): a deletion that
      // closes the community either sees this payment in the balance, or has committed first
      // and this payment counts as arriving after it (then it is refunded below).
      const [funding] = await tx.$queryRaw<{ state: string }[]>`
        SELECT "state"::text AS "state" FROM "CommunityFunding" WHERE "communityId" = ${contribution.communityId} FOR UPDATE`;
      if (funding?.state === "CLOSED") contribution.fundingClosed = true;
      await tx.ledgerEntry.create({ data: { ...paymentEntry(invoice, contribution), createdAt: new Date() }, select: { id: true } });
      count = 1;
    }
  }

  if (contribution.fundingClosed) {
    const settled = await settleClosedSubscription(tx, { contributionId: contribution.id, communityId: contribution.communityId, subscription });
    return { communityId: contribution.communityId, ledgerChanged: count > 0 || settled.refunds > 0 };
  }

  if (status === "PAST_DUE" && contribution.status !== "PAST_DUE") {
    await queueContributorEmail(tx, {
      userId: contribution.userId,
      communityId: contribution.communityId,
      kind: "contribution.payment_failed",
      dedupeKey: `payment_failed:${subscription.id}:${subscription.latest_invoice ?? ""}`,
    });
  }
  return { communityId: contribution.communityId, ledgerChanged: count > 0 };
}
