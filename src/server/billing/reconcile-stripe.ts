// The reconciliation job (worker, every HEARTH_STRIPE_RECONCILE_MINUTES): Stripe does not
// deliver an event forever, and a dead-lettered one may never be retried, so Hearth compares
// its records with Stripe directly and repairs what an event left out:
// - subscriptions created in the last days, and every subscription Stripe still runs, against
//   the contributions (link, status, amount, cancellation); a contribution Hearth thinks is
//   live whose subscription Stripe no longer runs is re-read too;
// - invoices paid in the last days against the ledger's payments;
// - refunds made in the last days against the ledger's refunds.
// Each gap is repaired by the same convergent sync the events use, under the object's lock,
// with the funding evaluation, and written to the audit log (action stripe.reconcile.repair).
import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record-audit";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { fundingNow } from "@/server/funding/clock";
import { evaluateFunding } from "@/server/funding/evaluate-funding";
import { deliverInstanceRequests } from "@/server/funding/instance-hooks";
import { log } from "@/server/log";
import { stripe, stripeTarget } from "./stripe";
import { invoiceSubscriptionId, stripeRefund, stripeSubscription, type StripeSubscription } from "./stripe-objects";
import { syncChargeRefunds } from "./sync-charge-refunds";
import { syncSubscription, type SyncResult } from "./sync-subscription";
import { repeat, type Repeating } from "@/server/worker/repeat";

type Tx = Prisma.TransactionClient;
export type Repair = { kind: "subscription" | "invoice" | "refund"; objectId: string; reason: string; ledgerChanged: boolean };

const refundWithCharge = stripeRefund.extend({ charge: z.union([z.string(), z.object({ id: z.string() }).loose()]).nullable() });
const LIVE = ["INCOMPLETE", "TRIALING", "ACTIVE", "PAST_DUE", "UNPAID", "PAUSED"] as const;
const amountOf = (s: StripeSubscription) => s.items.data.reduce((sum, item) => sum + (item.price.unit_amount ?? 0) * (item.quantity ?? 1), 0);

async function collect<T>(list: AsyncIterable<unknown>, parse: (raw: unknown) => T): Promise<T[]> {
  const out: T[] = [];
  for await (const raw of list) out.push(parse(raw));
  return out;
}

async function repair(gap: Omit<Repair, "ledgerChanged">, sync: (tx: Tx) => Promise<SyncResult>): Promise<Repair | null> {
  const outcome = await db.$transaction(
    async (tx) => {
      const affected = await sync(tx);
      if (!affected) return null;
      const changed = affected.ledgerChanged && (await evaluateFunding(tx, affected.communityId, fundingNow()));
      await recordAudit(tx, {
        actorId: null,
        communityId: affected.communityId,
        action: "stripe.reconcile.repair",
        data: { kind: gap.kind, objectId: gap.objectId, reason: gap.reason, ledgerChanged: affected.ledgerChanged },
      });
      return { communityId: affected.communityId, changed, ledgerChanged: affected.ledgerChanged };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  if (!outcome) return null;
  if (outcome.changed) await deliverInstanceRequests([outcome.communityId]);
  log.info("stripe reconciliation repaired a gap", { ...gap, ledgerChanged: outcome.ledgerChanged });
  return { ...gap, ledgerChanged: outcome.ledgerChanged };
}

export async function reconcileStripe(options: { days?: number; now?: Date } = {}): Promise<{ checked: Record<string, number>; repaired: Repair[] }> {
  const now = options.now ?? new Date();
  const since = Math.floor(now.getTime() / 1000) - (options.days ?? env().HEARTH_STRIPE_RECONCILE_DAYS) * 86_400;
  const client = stripe();
  const repaired: Repair[] = [];
  const keep = (r: Repair | null) => void (r && repaired.push(r));

  // ---- subscriptions ----
  const recent = await collect(client.subscriptions.list({ status: "all", created: { gte: since }, limit: 100 }), (raw) => stripeSubscription.parse(raw));
  const running = await collect(client.subscriptions.list({ limit: 100 }), (raw) => stripeSubscription.parse(raw));
  const subscriptions = new Map([...recent, ...running].map((s) => [s.id, s]));
  const linked = await db.contribution.findMany({
    where: {
      OR: [
        { stripeSubscriptionId: { in: [...subscriptions.keys()] } },
        { id: { in: [...subscriptions.values()].map((s) => s.metadata.contributionId).filter((id): id is string => Boolean(id)) } },
        { status: { in: [...LIVE] }, stripeSubscriptionId: { not: null } },
      ],
    },
    select: { id: true, stripeCustomerId: true, stripeSubscriptionId: true, status: true, amount: true, cancelAtPeriodEnd: true },
  });
  const bySubscription = new Map(linked.filter((c) => c.stripeSubscriptionId).map((c) => [c.stripeSubscriptionId!, c]));
  const byId = new Map(linked.map((c) => [c.id, c]));
  for (const subscription of subscriptions.values()) {
    const contribution =
      bySubscription.get(subscription.id) ??
      (subscription.metadata.contributionId ? byId.get(subscription.metadata.contributionId) : undefined);
    if (!contribution || contribution.stripeCustomerId !== subscription.customer) continue; // not Hearth's
    const reason =
      contribution.stripeSubscriptionId !== subscription.id
        ? "subscription not linked to its contribution"
        : contribution.status !== subscription.status.toUpperCase()
          ? `status ${contribution.status} but Stripe says ${subscription.status}`
          : contribution.amount !== amountOf(subscription)
            ? `amount ${contribution.amount} but Stripe says ${amountOf(subscription)}`
            : contribution.cancelAtPeriodEnd !== subscription.cancel_at_period_end
              ? "cancellation at period end differs"
              : null;
    if (reason) keep(await repair({ kind: "subscription", objectId: subscription.id, reason }, (tx) => syncSubscription(tx, subscription.id)));
  }
  const runningIds = new Set(running.map((s) => s.id));
  for (const contribution of linked) {
    const id = contribution.stripeSubscriptionId;
    if (!id || !(LIVE as readonly string[]).includes(contribution.status) || runningIds.has(id) || subscriptions.get(id)?.status === contribution.status.toLowerCase()) continue;
    keep(await repair({ kind: "subscription", objectId: id, reason: `status ${contribution.status} but Stripe no longer runs it` }, (tx) => syncSubscription(tx, id)));
  }

  // ---- invoices paid in the window ----
  const invoices = (
    await collect(client.invoices.list({ status: "paid", created: { gte: since }, limit: 100 }), (raw) => raw as { id: string; amount_paid: number; parent?: unknown })
  ).filter((invoice) => invoice.amount_paid > 0);
  const recorded = new Set(
    (await db.ledgerEntry.findMany({ where: { stripeInvoiceId: { in: invoices.map((i) => i.id) } }, select: { stripeInvoiceId: true } })).map((e) => e.stripeInvoiceId),
  );
  const ours = new Set(
    (
      await db.contribution.findMany({
        where: { stripeSubscriptionId: { in: invoices.map((i) => invoiceSubscriptionId(i)).filter((id): id is string => Boolean(id)) } },
        select: { stripeSubscriptionId: true },
      })
    ).map((c) => c.stripeSubscriptionId),
  );
  for (const invoice of invoices) {
    const subscriptionId = invoiceSubscriptionId(invoice);
    if (recorded.has(invoice.id) || !subscriptionId || !ours.has(subscriptionId)) continue;
    keep(
      await repair({ kind: "invoice", objectId: invoice.id, reason: "paid invoice missing from the ledger" }, (tx) =>
        syncSubscription(tx, subscriptionId, { invoiceId: invoice.id }),
      ),
    );
  }

  // ---- refunds made in the window ----
  const refunds = (await collect(client.refunds.list({ created: { gte: since }, limit: 100 }), (raw) => refundWithCharge.parse(raw))).filter(
    (refund) => refund.status === "succeeded" && refund.amount > 0 && refund.charge,
  );
  const refunded = new Set(
    (await db.ledgerEntry.findMany({ where: { stripeRefundId: { in: refunds.map((r) => r.id) } }, select: { stripeRefundId: true } })).map((e) => e.stripeRefundId),
  );
  const charges = new Set(refunds.filter((r) => !refunded.has(r.id)).map((r) => (typeof r.charge === "string" ? r.charge : r.charge!.id)));
  for (const chargeId of charges) {
    keep(await repair({ kind: "refund", objectId: chargeId, reason: "refund missing from the ledger" }, (tx) => syncChargeRefunds(tx, chargeId)));
  }

  return { checked: { subscriptions: subscriptions.size, invoices: invoices.length, refunds: refunds.length }, repaired };
}

/** Starts the job in the worker (first run shortly after start); returns a stop function. */
export function startStripeReconciliation(): Repeating {
  const run = async () => {
    // No Stripe configured (no key, no emulator): nothing to compare with.
    if (stripeTarget(env()).mode === "none") return;
    const { checked, repaired } = await reconcileStripe();
    log.info("stripe reconciliation done", { ...checked, repaired: repaired.length });
  };
  return repeat("stripe reconciliation", run, { everyMs: () => env().HEARTH_STRIPE_RECONCILE_MINUTES * 60_000, firstAfterMs: 60_000 });
}
