// The parts of Stripe objects Hearth reads, checked with zod when they are read back, so a
// field that is missing or not expanded fails loudly here instead of being cast and misread.
// Shapes are those of API version 2026-10-28 (the SDK's): the current period lives on the
// subscription items, an invoice's subscription under parent.subscription_details.
import { z } from "zod";

/** An expandable field: an id, or the object when expanded. */
const ref = z
  .union([z.string(), z.object({ id: z.string() }).loose()])
  .transform((value) => (typeof value === "string" ? value : value.id));

export const subscriptionStatus = z.enum([
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "paused",
  "canceled",
]);

export const stripeSubscription = z.object({
  id: z.string(),
  customer: ref,
  status: subscriptionStatus,
  currency: z.string(),
  cancel_at_period_end: z.boolean(),
  ended_at: z.number().nullable(),
  latest_invoice: ref.nullable(),
  metadata: z.record(z.string(), z.string()),
  items: z.object({
    data: z.array(
      z.object({
        id: z.string(),
        quantity: z.number().nullish(),
        current_period_end: z.number(),
        price: z.object({ unit_amount: z.number().nullable(), currency: z.string() }),
      }),
    ),
  }),
});
export type StripeSubscription = z.infer<typeof stripeSubscription>;

export const stripeInvoice = z.object({
  id: z.string(),
  status: z.enum(["draft", "open", "paid", "uncollectible", "void"]).nullable(),
  amount_paid: z.number(),
  currency: z.string(),
  customer: ref.nullable(),
  hosted_invoice_url: z.string().nullish(),
  status_transitions: z.object({ paid_at: z.number().nullable() }),
  parent: z
    .object({ subscription_details: z.object({ subscription: ref }).nullable() })
    .nullable(),
  lines: z.object({ data: z.array(z.object({ period: z.object({ start: z.number(), end: z.number() }) })) }),
  // Only there when expanded (expand: ["payments"] / ["data.payments"]).
  payments: z
    .object({
      data: z.array(
        z.object({
          status: z.string(),
          payment: z.object({ type: z.string(), payment_intent: ref.optional() }),
        }),
      ),
    })
    .optional(),
});
export type StripeInvoice = z.infer<typeof stripeInvoice>;

/** A subscription read with expand: ["latest_invoice.payments"]. */
export const stripeSubscriptionWithInvoice = stripeSubscription.extend({
  latest_invoice: z.union([z.string(), stripeInvoice]).nullable(),
});

/** An invoice read with expand: ["payments", "parent.subscription_details.subscription"]. */
export const stripeInvoiceWithSubscription = stripeInvoice.extend({
  parent: z.object({ subscription_details: z.object({ subscription: stripeSubscription }) }),
});

export const stripeRefund = z.object({
  id: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.string().nullable(),
  created: z.number(),
});

/** A charge read with expand: ["refunds"] (Stripe leaves refunds out unless asked). */
export const stripeCharge = z.object({
  id: z.string(),
  customer: ref.nullable(),
  payment_intent: ref.nullable(),
  refunds: z.object({ data: z.array(stripeRefund), has_more: z.boolean() }),
});

export const stripeCheckoutSession = z.object({
  id: z.string(),
  mode: z.string(),
  status: z.string().nullable(),
  customer: ref.nullable(),
  subscription: ref.nullable(),
  client_reference_id: z.string().nullable(),
});

/** The subscription an invoice bills, if any. */
// Built once: a zod schema costs far more to construct than to run.
const invoiceParent = z.object({
  parent: z.object({ subscription_details: z.object({ subscription: ref }).nullable() }).nullable(),
});

export function invoiceSubscriptionId(invoice: { parent?: unknown }): string | null {
  const parsed = invoiceParent.safeParse(invoice);
  return parsed.success ? (parsed.data.parent?.subscription_details?.subscription ?? null) : null;
}

export const seconds = (value: number) => new Date(value * 1000);
