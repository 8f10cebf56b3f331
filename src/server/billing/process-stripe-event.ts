// One verified Stripe event: recorded once, then converged by re-reading from Stripe the
// object it is about. The event row is inserted in the same transaction as the effects, so
// of ten concurrent deliveries exactly one does the work; the others wait on the unique id,
// find it taken and are acknowledged as duplicates. If the work fails, nothing (not even the
// event row) is kept and Stripe's retry starts afresh.
import "server-only";
import type Stripe from "stripe";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { fundingNow } from "@/server/funding/clock";
import { evaluateFunding } from "@/server/funding/evaluate-funding";
import { deliverInstanceRequests } from "@/server/funding/instance-hooks";
import { knownEvent, recordUnhandledEvent, rememberEvent } from "./event-log";
import { invoiceSubscriptionId } from "./stripe-objects";
import { syncChargeRefunds } from "./sync-charge-refunds";
import { syncCheckoutSession } from "./sync-checkout-session";
import { syncSubscription } from "./sync-subscription";

type Tx = Prisma.TransactionClient;
type Target = { kind: "subscription" | "charge" | "checkout"; id: string; invoiceId?: string };
export type EventOutcome = "processed" | "duplicate" | "ignored";

const id = (value: unknown): string | null =>
  typeof value === "string" ? value : value && typeof value === "object" && "id" in value && typeof value.id === "string" ? value.id : null;

/** Which object an event is about; only its id is taken from the payload, never its state. */
export function targetOf(event: Stripe.Event): Target | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.expired":
      return { kind: "checkout", id: String(object.id) };
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
      return { kind: "subscription", id: String(object.id) };
    case "invoice.paid":
    case "invoice.payment_failed": {
      const subscription = invoiceSubscriptionId(object);
      return subscription ? { kind: "subscription", id: subscription, invoiceId: String(object.id) } : null;
    }
    case "charge.refunded":
      return { kind: "charge", id: String(object.id) };
    case "refund.updated": {
      const charge = id(object.charge);
      return charge ? { kind: "charge", id: charge } : null;
    }
    default:
      return null;
  }
}

function converge(tx: Tx, target: Target) {
  if (target.kind === "subscription") return syncSubscription(tx, target.id, target.invoiceId);
  if (target.kind === "charge") return syncChargeRefunds(tx, target.id);
  return syncCheckoutSession(tx, target.id);
}

export async function processStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
  const target = targetOf(event);
  // Not acted on: acknowledged, its id recorded once in a batch (see event-log.ts).
  if (!target) return recordUnhandledEvent(event.id, event.type);
  // Cheap answers for a redelivery; the insert below is what actually decides.
  if (knownEvent(event.id)) return "duplicate";
  const seen = await db.$queryRaw<unknown[]>`SELECT 1 FROM "StripeEvent" WHERE "id" = ${event.id}`;
  if (seen.length > 0) {
    rememberEvent(event.id);
    return "duplicate";
  }

  const result = await db.$transaction(
    async (tx) => {
      const claimed = await tx.$executeRaw`
        INSERT INTO "StripeEvent" ("id", "type") VALUES (${event.id}, ${event.type}) ON CONFLICT ("id") DO NOTHING`;
      if (claimed === 0) return { outcome: "duplicate" as const, changed: null };
      const affected = await converge(tx, target);
      // Funding depends on the ledger and the clock only: no new entry, nothing to evaluate.
      if (!affected?.ledgerChanged) return { outcome: "processed" as const, changed: null };
      const changed = await evaluateFunding(tx, affected.communityId, fundingNow());
      return { outcome: "processed" as const, changed: changed ? affected.communityId : null };
    },
    // Stripe is read inside the transaction (under the object's lock): allow for its latency.
    { maxWait: 10_000, timeout: 30_000 },
  );
  rememberEvent(event.id);
  if (result.changed) await deliverInstanceRequests([result.changed]);
  return result.outcome;
}
