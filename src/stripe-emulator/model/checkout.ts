// Checkout Sessions in subscription mode: created by the API, completed on the hosted page
// (or the control API) with one of the test cards.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { StripeApiError, invalidRequest } from "../core/errors";
import { newId, randomToken } from "../core/ids";
import type { CheckoutLineItem, CheckoutSession, Price, SavedCard } from "../core/types";
import { checkCard } from "./cards";
import { createCustomer } from "./customers";
import { createSubscription } from "./subscriptions";

const SESSION_LIFETIME_SECONDS = 24 * 60 * 60;

export interface SessionInput {
  customer?: string;
  customer_email?: string;
  lines: { price: Price; quantity: number }[];
  success_url: string;
  cancel_url?: string;
  metadata: Record<string, string>;
  client_reference_id?: string;
  subscription_data: { metadata: Record<string, string>; description?: string };
}

function lineItem(ctx: Ctx, price: Price, quantity: number): CheckoutLineItem {
  const productId = typeof price.product === "string" ? price.product : price.product.id;
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: newId("li"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: ctx.store.get("products", productId)?.name ?? null,
    metadata: {},
    price,
    quantity,
  };
}

export function createCheckoutSession(ctx: Ctx, input: SessionInput): CheckoutSession {
  if (input.customer) ctx.store.require("customers", input.customer, "customer");
  const currencies = new Set(input.lines.map((line) => line.price.currency));
  if (currencies.size !== 1)
    throw invalidRequest("All line items must use the same currency.", { param: "line_items" });
  for (const [index, line] of input.lines.entries()) {
    if (!line.price.recurring) {
      throw invalidRequest("In subscription mode every line item needs a recurring price.", {
        param: `line_items[${index}]`,
      });
    }
  }
  const id = `cs_test_${randomToken(58)}`;
  const items = input.lines.map((line) => lineItem(ctx, line.price, line.quantity));
  const total = items.reduce((sum, item) => sum + item.amount_total, 0);
  const session: CheckoutSession = {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancel_url ?? null,
    client_reference_id: input.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: ctx.now,
    currency: [...currencies][0] ?? null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer ?? null,
    customer_account: null,
    customer_creation: input.customer ? null : "always",
    customer_details: null,
    customer_email: input.customer_email ?? null,
    discounts: [],
    expires_at: ctx.now + SESSION_LIFETIME_SECONDS,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: input.metadata,
    mode: "subscription",
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.success_url,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: `${ctx.settings.publicUrl}/checkout/${id}`,
    wallet_options: null,
  };
  ctx.store.put("checkoutSessions", session);
  ctx.store.state.checkoutLineItems[id] = items;
  ctx.store.state.checkoutExtras[id] = {
    subscriptionMetadata: input.subscription_data.metadata,
    ...(input.subscription_data.description ? { subscriptionDescription: input.subscription_data.description } : {}),
  };
  return session;
}

export function assertOpen(ctx: Ctx, session: CheckoutSession): void {
  // Sessions past expires_at are refused but not rewritten (no checkout.session.expired).
  const status = session.status === "open" && session.expires_at <= ctx.now ? "expired" : session.status;
  if (status !== "open") {
    throw invalidRequest(`This Checkout Session is ${status}; it can no longer be paid.`);
  }
}

// Where Stripe sends the customer after paying.
export function successRedirect(session: CheckoutSession): string {
  return (session.success_url ?? "").replaceAll("{CHECKOUT_SESSION_ID}", session.id);
}

// Pays the session with a test card. A declined card throws a 402 card_error and leaves
// the session open, as on Stripe's page.
export function completeCheckout(ctx: Ctx, session: CheckoutSession, cardNumber: string): CheckoutSession {
  assertOpen(ctx, session);
  const check = checkCard(cardNumber);
  if (!check.ok) {
    throw new StripeApiError(402, {
      type: "card_error",
      code: check.code,
      message: check.message,
      param: "card_number",
      ...(check.declineCode ? { decline_code: check.declineCode } : {}),
    });
  }
  const customer = session.customer
    ? ctx.store.require("customers", session.customer as string, "customer")
    : createCustomer(ctx, session.customer_email ? { email: session.customer_email } : {});
  const card: SavedCard = {
    id: newId("pm"),
    customer: customer.id,
    last4: check.last4,
    brand: check.brand,
    behavior: check.behavior,
  };
  ctx.store.put("cards", card);
  const extras = ctx.store.state.checkoutExtras[session.id];
  const lines = ctx.store.state.checkoutLineItems[session.id] ?? [];
  const { subscription, invoice } = createSubscription(ctx, {
    customer: customer.id,
    items: lines.map((line) => ({ price: line.price as Price, quantity: line.quantity ?? 1 })),
    metadata: extras?.subscriptionMetadata ?? {},
    ...(extras?.subscriptionDescription ? { description: extras.subscriptionDescription } : {}),
    card,
  });
  session.status = "complete";
  session.payment_status = "paid";
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.invoice = invoice.id;
  session.customer_details = {
    address: null,
    business_name: null,
    email: customer.email,
    individual_name: null,
    name: customer.name ?? null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
  emit(ctx, "checkout.session.completed", session);
  return session;
}
