// Subscription invoices: one per billing period, finalized at once and paid by card.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { newId } from "../core/ids";
import { formatAmount } from "../core/money";
import type { Invoice, InvoiceLineItem, SavedCard, Subscription } from "../core/types";
import { createPayment, type Decline } from "./payments";

// Stripe's default Smart Retries wait days between attempts; only the timestamp matters here.
const RETRY_AFTER_SECONDS = 3 * 24 * 60 * 60;

type BillingReason = "subscription_create" | "subscription_cycle";

function nextNumber(ctx: Ctx, customerId: string): string {
  const customer = ctx.store.require("customers", customerId, "customer");
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  return `${customer.invoice_prefix ?? "EMU"}-${String(sequence).padStart(4, "0")}`;
}

function buildLines(
  ctx: Ctx,
  subscription: Subscription,
  invoiceId: string,
  start: number,
  end: number,
): InvoiceLineItem[] {
  return subscription.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    const unitAmount = item.price.unit_amount ?? 0;
    const productId = typeof item.price.product === "string" ? item.price.product : item.price.product.id;
    return {
      id: newId("il"),
      object: "line_item",
      amount: unitAmount * quantity,
      currency: item.price.currency,
      description: `${quantity} × ${ctx.store.get("products", productId)?.name ?? "Subscription"} (at ${formatAmount(unitAmount, item.price.currency)} / ${item.price.recurring?.interval ?? "period"})`,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: invoiceId,
      livemode: false,
      metadata: {},
      parent: {
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: subscription.id,
          subscription_item: item.id,
        },
        type: "subscription_item_details",
      },
      period: { start, end },
      pretax_credit_amounts: [],
      pricing: {
        price_details: { price: item.price.id, product: productId },
        type: "price_details",
        unit_amount_decimal: String(unitAmount),
      },
      quantity,
      quantity_decimal: String(quantity),
      subscription: subscription.id,
      subtotal: unitAmount * quantity,
      taxes: [],
    };
  });
}

interface Period {
  start: number;
  end: number;
}

// `service` is the period being paid for (on the lines). Like Stripe, the invoice's own
// period_start/period_end describe the period *before* it: empty for the first invoice,
// the previous billing period for renewals. Read lines[].period for what is paid for.
export function createSubscriptionInvoice(
  ctx: Ctx,
  subscription: Subscription,
  reason: BillingReason,
  service: Period,
  previous?: Period,
): Invoice {
  const id = newId("in");
  const lines = buildLines(ctx, subscription, id, service.start, service.end);
  const period = previous ?? { start: ctx.now, end: ctx.now };
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const customer = ctx.store.require("customers", subscription.customer as string, "customer");
  const invoice: Invoice = {
    id,
    object: "invoice",
    account_country: "DE",
    account_name: "Hearth (Stripe emulator)",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: reason,
    collection_method: "charge_automatically",
    created: ctx.now,
    currency: subscription.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: ctx.now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${ctx.settings.publicUrl}/invoices/${id}`,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: nextNumber(ctx, customer.id),
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
      type: "subscription_details",
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    payments: { object: "list", data: [], has_more: false, url: `/v1/invoice_payments?invoice=${id}` },
    period_end: period.end,
    period_start: period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "open",
    status_transitions: { finalized_at: ctx.now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subscription: subscription.id,
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: ctx.now,
  };
  ctx.store.put("invoices", invoice);
  emit(ctx, "invoice.created", invoice);
  emit(ctx, "invoice.finalized", invoice);
  return invoice;
}

// One collection attempt. Returns whether the invoice is now paid.
export function attemptInvoicePayment(ctx: Ctx, invoice: Invoice, card: SavedCard, decline?: Decline): boolean {
  if (invoice.status !== "open") throw new Error(`invoice ${invoice.id} is ${invoice.status}, not open`);
  const { paymentIntent } = createPayment(ctx, {
    customer: invoice.customer as string,
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    card,
    description: invoice.billing_reason === "subscription_create" ? "Subscription creation" : "Subscription update",
    decline,
  });
  invoice.attempted = true;
  invoice.attempt_count += 1;
  invoice.payments?.data.unshift({
    id: newId("inpay"),
    object: "invoice_payment",
    amount_paid: decline ? null : invoice.amount_remaining,
    amount_requested: invoice.amount_remaining,
    created: ctx.now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { payment_intent: paymentIntent.id, type: "payment_intent" },
    status: decline ? "open" : "paid",
    status_transitions: { canceled_at: null, paid_at: decline ? null : ctx.now },
  });
  if (decline) {
    invoice.next_payment_attempt = ctx.now + RETRY_AFTER_SECONDS;
    emit(ctx, "invoice.payment_failed", invoice);
    return false;
  }
  invoice.amount_paid += invoice.amount_remaining;
  invoice.amount_remaining = 0;
  invoice.status = "paid";
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = ctx.now;
  emit(ctx, "invoice.paid", invoice);
  emit(ctx, "invoice.payment_succeeded", invoice);
  return true;
}
