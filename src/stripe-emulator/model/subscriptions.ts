// Subscription lifecycle: creation from Checkout, updates and cancellation, with the events
// Stripe sends for each. Renewals and dunning are in renewals.ts.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { invalidRequest } from "../core/errors";
import { newId } from "../core/ids";
import type { Invoice, Price, SavedCard, Subscription } from "../core/types";
import { attemptInvoicePayment, createSubscriptionInvoice } from "./invoices";
import { periodBoundary } from "./periods";
import { buildItem, setItemPrice } from "./subscription-items";

export interface NewItem {
  price: Price;
  quantity: number;
}

function assertCompatible(prices: Price[], param: string): void {
  const [first] = prices;
  if (!first) throw invalidRequest("A subscription needs at least one item.", { param });
  for (const price of prices) {
    if (!price.recurring) {
      throw invalidRequest(`The price ${price.id} is not recurring; subscriptions need recurring prices.`, { param });
    }
    if (price.currency !== first.currency) {
      throw invalidRequest("All prices on a subscription must have the same currency.", { param });
    }
    if (
      price.recurring.interval !== first.recurring?.interval ||
      price.recurring.interval_count !== first.recurring.interval_count
    ) {
      throw invalidRequest("All prices on a subscription must have the same recurring interval.", { param });
    }
  }
}

// Checkout has already accepted the card; the first invoice is paid with it.
export function createSubscription(
  ctx: Ctx,
  input: {
    customer: string;
    items: NewItem[];
    metadata: Record<string, string>;
    description?: string;
    card: SavedCard;
  },
): { subscription: Subscription; invoice: Invoice } {
  assertCompatible(
    input.items.map((item) => item.price),
    "line_items",
  );
  const first = input.items[0] as NewItem;
  const id = newId("sub");
  const period = { start: ctx.now, end: periodBoundary(ctx.now, first.price, 1) };
  const subscription: Subscription = {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: ctx.now,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: ctx.now,
    currency: first.price.currency,
    current_period_end: period.end,
    current_period_start: period.start,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.card.id,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: {
      object: "list",
      data: input.items.map((item) => buildItem(id, item.price, item.quantity, ctx.now, period)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: ctx.now,
    // Stripe creates it incomplete and activates it once the first invoice is paid.
    status: "incomplete",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: null,
  };
  ctx.store.put("subscriptions", subscription);
  emit(ctx, "customer.subscription.created", subscription);
  const before = structuredClone(subscription);
  const invoice = createSubscriptionInvoice(ctx, subscription, "subscription_create", period);
  subscription.latest_invoice = invoice.id;
  attemptInvoicePayment(ctx, invoice, input.card);
  subscription.status = "active";
  emit(ctx, "customer.subscription.updated", subscription, before);
  return { subscription, invoice };
}

export type Feedback = NonNullable<NonNullable<Subscription["cancellation_details"]>["feedback"]>;
export interface CancellationInput {
  comment?: string;
  feedback?: Feedback;
}

export interface ItemChange {
  id?: string;
  price?: Price;
  quantity?: number;
  deleted?: boolean;
}

export interface SubscriptionChange {
  cancel_at_period_end?: boolean;
  metadata?: Record<string, string>;
  description?: string;
  items?: ItemChange[];
  cancellation_details?: CancellationInput;
}

function applyItemChanges(ctx: Ctx, subscription: Subscription, changes: ItemChange[]): void {
  const items = subscription.items.data;
  changes.forEach((change, index) => {
    const param = `items[${index}]`;
    if (!change.id) {
      if (!change.price) throw invalidRequest("A new item needs a price or price_data.", { param });
      items.push(
        buildItem(subscription.id, change.price, change.quantity ?? 1, ctx.now, {
          start: subscription.current_period_start,
          end: subscription.current_period_end,
        }),
      );
      return;
    }
    const item = items.find((candidate) => candidate.id === change.id);
    if (!item) throw invalidRequest(`No such subscription item: '${change.id}'`, { param: `${param}[id]` });
    if (change.deleted) {
      items.splice(items.indexOf(item), 1);
      return;
    }
    if (change.price) setItemPrice(item, change.price);
    if (change.quantity !== undefined) item.quantity = change.quantity;
  });
  assertCompatible(
    items.map((item) => item.price),
    "items",
  );
}

// No prorations: a new price applies from the next invoice (see README).
export function updateSubscription(ctx: Ctx, subscription: Subscription, change: SubscriptionChange): Subscription {
  const before = structuredClone(subscription);
  const onlyBookkeeping =
    change.cancel_at_period_end === undefined && change.items === undefined && change.description === undefined;
  if (subscription.status === "canceled" && !onlyBookkeeping) {
    throw invalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
  }
  if (change.metadata) subscription.metadata = change.metadata;
  if (change.description !== undefined) subscription.description = change.description || null;
  if (change.items) applyItemChanges(ctx, subscription, change.items);
  if (change.cancellation_details) {
    subscription.cancellation_details = {
      comment: change.cancellation_details.comment ?? null,
      feedback: change.cancellation_details.feedback ?? null,
      feedback_option: null,
      reason: subscription.cancellation_details?.reason ?? null,
    };
  }
  if (change.cancel_at_period_end !== undefined && change.cancel_at_period_end !== subscription.cancel_at_period_end) {
    subscription.cancel_at_period_end = change.cancel_at_period_end;
    subscription.cancel_at = change.cancel_at_period_end ? subscription.current_period_end : null;
    subscription.canceled_at = change.cancel_at_period_end ? ctx.now : null;
    subscription.cancellation_details = {
      comment: subscription.cancellation_details?.comment ?? null,
      feedback: subscription.cancellation_details?.feedback ?? null,
      feedback_option: null,
      reason: change.cancel_at_period_end ? "cancellation_requested" : null,
    };
  }
  if (JSON.stringify(before) !== JSON.stringify(subscription)) {
    emit(ctx, "customer.subscription.updated", subscription, before);
  }
  return subscription;
}

export function endSubscription(
  ctx: Ctx,
  subscription: Subscription,
  reason: "cancellation_requested" | "payment_failed",
  at: number,
): Subscription {
  subscription.status = "canceled";
  subscription.ended_at = at;
  subscription.canceled_at = subscription.canceled_at ?? ctx.now;
  subscription.cancel_at = null;
  subscription.cancellation_details = {
    comment: subscription.cancellation_details?.comment ?? null,
    feedback: subscription.cancellation_details?.feedback ?? null,
    feedback_option: null,
    reason,
  };
  emit(ctx, "customer.subscription.deleted", subscription);
  return subscription;
}

export function cancelSubscription(
  ctx: Ctx,
  subscription: Subscription,
  details: CancellationInput = {},
): Subscription {
  if (subscription.status === "canceled") {
    throw invalidRequest(`Subscription ${subscription.id} has already been canceled.`);
  }
  subscription.cancellation_details = {
    comment: details.comment ?? subscription.cancellation_details?.comment ?? null,
    feedback: details.feedback ?? subscription.cancellation_details?.feedback ?? null,
    feedback_option: null,
    reason: "cancellation_requested",
  };
  subscription.canceled_at = ctx.now;
  return endSubscription(ctx, subscription, "cancellation_requested", ctx.now);
}
