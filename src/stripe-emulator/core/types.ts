// Stored objects are exactly what goes on the wire, typed by the stripe SDK itself so that
// every field the SDK declares is present. The SDK turns decimal strings into Decimal
// objects after parsing, so on the wire they are strings.
import type Stripe from "stripe";

export type Wire<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends Stripe.Decimal
    ? string
    : T extends (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

export type List<T> = { object: "list"; data: T[]; has_more: boolean; url: string };

export type Customer = Wire<Stripe.Customer>;
export type Product = Wire<Stripe.Product>;
export type Price = Wire<Stripe.Price>;
export type CheckoutSession = Wire<Stripe.Checkout.Session>;
export type CheckoutLineItem = Wire<Stripe.LineItem>;
export type SubscriptionItem = Wire<Stripe.SubscriptionItem>;
// API versions before 2025-03-31 carried the current period on the subscription itself; the
// SDK's types now declare it on each item only. Both are sent so older readers keep working.
export type Subscription = Wire<Stripe.Subscription> & { current_period_start: number; current_period_end: number };
// Likewise `subscription` moved to `parent.subscription_details.subscription`.
export type Invoice = Wire<Stripe.Invoice> & { subscription: string | null };
export type InvoiceLineItem = Wire<Stripe.InvoiceLineItem>;
export type PaymentIntent = Wire<Stripe.PaymentIntent>;
export type Charge = Wire<Stripe.Charge>;
export type Refund = Wire<Stripe.Refund>;
export type PortalSession = Wire<Stripe.BillingPortal.Session>;

export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: EventRequest;
  type: string;
}

// What the emulator remembers about a card entered on the checkout page. Only the test
// numbers in model/cards.ts are accepted.
export interface SavedCard {
  id: string;
  customer: string;
  last4: string;
  brand: string;
  // "fail_later" cards are accepted at checkout and declined on renewals.
  behavior: "succeed" | "fail_later";
}

export interface IdempotentResult {
  fingerprint: string;
  status: number;
  body: unknown;
  created: number;
}

// Inputs Stripe keeps on a Checkout Session that are not part of its public object.
export interface CheckoutExtras {
  subscriptionMetadata: Record<string, string>;
  subscriptionDescription?: string;
}
