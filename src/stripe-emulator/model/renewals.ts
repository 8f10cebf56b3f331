// The passage of billing periods: renewal, failed renewal and dunning, driven by the control
// API because the emulator's clock does not move by itself. Rules are in README.md.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { invalidRequest } from "../core/errors";
import type { Invoice, Price, SavedCard, Subscription } from "../core/types";
import { renewalDecline } from "./cards";
import { attemptInvoicePayment, createSubscriptionInvoice } from "./invoices";
import { nextBoundary } from "./periods";
import { endSubscription } from "./subscriptions";

function setPeriod(subscription: Subscription, start: number, end: number): void {
  subscription.current_period_start = start;
  subscription.current_period_end = end;
  for (const item of subscription.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
}

function cardFor(ctx: Ctx, subscription: Subscription): SavedCard {
  const card = ctx.store.get("cards", String(subscription.default_payment_method));
  if (!card) throw invalidRequest(`Subscription ${subscription.id} has no payment method to charge.`);
  return card;
}

export type Outcome = "paid" | "failed";

// The current period ends: the subscription ends if it was set to, or renews and Stripe
// tries to collect the next invoice. See README for the dunning rules.
export function advanceSubscription(
  ctx: Ctx,
  subscription: Subscription,
  requested?: Outcome,
): { subscription: Subscription; invoice: Invoice | null } {
  if (subscription.status !== "active" && subscription.status !== "past_due") {
    throw invalidRequest(
      `Only active or past_due subscriptions can advance; ${subscription.id} is ${subscription.status}.`,
    );
  }
  if (subscription.cancel_at_period_end) {
    return {
      subscription: endSubscription(ctx, subscription, "cancellation_requested", subscription.current_period_end),
      invoice: null,
    };
  }
  const card = cardFor(ctx, subscription);
  const outcome = requested ?? (card.behavior === "fail_later" ? "failed" : "paid");
  const before = structuredClone(subscription);
  const firstPrice = subscription.items.data[0]?.price as Price;
  const start = subscription.current_period_end;
  setPeriod(subscription, start, nextBoundary(subscription.billing_cycle_anchor, firstPrice, start));
  const invoice = createSubscriptionInvoice(
    ctx,
    subscription,
    "subscription_cycle",
    { start, end: subscription.current_period_end },
    { start: before.current_period_start, end: before.current_period_end },
  );
  subscription.latest_invoice = invoice.id;
  const paid = attemptInvoicePayment(ctx, invoice, card, outcome === "failed" ? renewalDecline : undefined);
  if (paid) {
    subscription.status = "active";
  } else if (before.status === "past_due") {
    // A second period without payment: Stripe's "after all retries fail" setting.
    if (ctx.settings.finalFailure === "cancel") {
      return { subscription: endSubscription(ctx, subscription, "payment_failed", ctx.now), invoice };
    }
    subscription.status = "unpaid";
  } else {
    subscription.status = "past_due";
  }
  emit(ctx, "customer.subscription.updated", subscription, before);
  return { subscription, invoice };
}

// Another collection attempt on an open invoice, as Stripe's automatic retries make.
export function retryInvoice(ctx: Ctx, invoice: Invoice, outcome: Outcome): Invoice {
  if (invoice.status !== "open") {
    throw invalidRequest(`Invoice ${invoice.id} is ${invoice.status}; only open invoices can be paid.`);
  }
  const subscription = invoice.subscription ? ctx.store.get("subscriptions", invoice.subscription) : undefined;
  if (!subscription) throw invalidRequest(`Invoice ${invoice.id} belongs to no subscription.`);
  const paid = attemptInvoicePayment(
    ctx,
    invoice,
    cardFor(ctx, subscription),
    outcome === "failed" ? renewalDecline : undefined,
  );
  const stillOpen = Object.values(ctx.store.state.invoices).some(
    (other) => other.subscription === subscription.id && other.status === "open",
  );
  if (paid && !stillOpen && (subscription.status === "past_due" || subscription.status === "unpaid")) {
    const before = structuredClone(subscription);
    subscription.status = "active";
    emit(ctx, "customer.subscription.updated", subscription, before);
  }
  return invoice;
}
