// Checkout in subscription mode, paid on the hosted page: the subscription, its first
// invoice and payment, and the signed webhooks the app receives.
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openContribution, rejection, startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.webhooks.clear());
afterAll(() => h.stop());

describe("checkout session", () => {
  it("is created open, with the hosted page as url and the amount in the page", async () => {
    const { customer, session } = await openContribution(h, 750);
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "subscription",
      status: "open",
      payment_status: "unpaid",
      customer: customer.id,
      client_reference_id: "member-1",
      amount_total: 750,
      currency: "eur",
      metadata: { community: "fedi-town" },
      subscription: null,
      success_url: "http://hearth.test/c/fedi-town/thanks?session_id={CHECKOUT_SESSION_ID}",
    });
    expect(session.url).toBe(`${h.emulator.url}/checkout/${session.id}`);

    const page = await fetch(session.url ?? "");
    expect(page.status).toBe(200);
    const markup = await page.text();
    expect(markup).toContain("€7.50");
    expect(markup).toContain('<label for="card-number">Card number</label>');
    expect(markup).toContain('href="http://hearth.test/c/fedi-town"');

    const lines = await h.stripe.checkout.sessions.listLineItems(session.id);
    expect(lines.data).toHaveLength(1);
    expect(lines.data[0]?.price?.unit_amount).toBe(750);
  });

  it("paid with 4242 4242 4242 4242: active subscription, paid invoice, charge, signed webhooks, redirect", async () => {
    const { customer, session } = await openContribution(h, 500);
    const response = await h.payOnPage(session.url ?? "", "4242 4242 4242 4242");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://hearth.test/c/fedi-town/thanks?session_id=${session.id}`);

    const completed = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    expect(completed.status).toBe("complete");
    expect(completed.payment_status).toBe("paid");
    const subscription = completed.subscription as Stripe.Subscription;
    expect(subscription).toMatchObject({
      object: "subscription",
      status: "active",
      customer: customer.id,
      currency: "eur",
      cancel_at_period_end: false,
      metadata: { community: "fedi-town", member: "member-1" },
    });
    const item = subscription.items.data[0];
    expect(item?.price).toMatchObject({ unit_amount: 500, currency: "eur", recurring: { interval: "month" } });
    const start = new Date((item?.current_period_start ?? 0) * 1000);
    const end = new Date((item?.current_period_end ?? 0) * 1000);
    expect(end.getUTCMonth()).toBe((start.getUTCMonth() + 1) % 12);
    // The pre-2025 top-level fields are kept for older readers.
    const legacy = subscription as unknown as { current_period_start: number; current_period_end: number };
    expect(legacy.current_period_end).toBe(item?.current_period_end);

    const invoice = await h.stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice).toMatchObject({
      status: "paid",
      amount_due: 500,
      amount_paid: 500,
      amount_remaining: 0,
      currency: "eur",
      customer: customer.id,
      billing_reason: "subscription_create",
      parent: { type: "subscription_details", subscription_details: { subscription: subscription.id } },
    });
    expect(invoice.hosted_invoice_url).toBe(`${h.emulator.url}/invoices/${invoice.id}`);
    expect(invoice.lines.data[0]?.period).toEqual({ start: item?.current_period_start, end: item?.current_period_end });
    const paymentIntentId = invoice.payments?.data[0]?.payment.payment_intent as string;
    const paymentIntent = await h.stripe.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge"] });
    expect(paymentIntent.status).toBe("succeeded");
    const charge = paymentIntent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ amount: 500, paid: true, status: "succeeded", customer: customer.id });

    await h.emulator.idle();
    expect(h.webhooks.rejected).toEqual([]);
    const types = h.webhooks.types();
    for (const type of [
      "checkout.session.completed",
      "customer.subscription.created",
      "invoice.paid",
      "invoice.payment_succeeded",
    ]) {
      expect(types).toContain(type);
    }
    const [done] = h.webhooks.ofType("checkout.session.completed");
    expect(done?.data.object).toMatchObject({
      id: session.id,
      subscription: subscription.id,
      client_reference_id: "member-1",
    });
    const [paid] = h.webhooks.ofType("invoice.paid");
    expect(paid?.data.object.id).toBe(invoice.id);
    // Every event names the API version and carries no live-mode data.
    for (const { event } of h.webhooks.received) {
      expect(event).toMatchObject({ object: "event", livemode: false, api_version: Stripe.API_VERSION });
    }
    // As on Stripe, the subscription is created incomplete and activated once paid.
    expect(h.webhooks.ofType("customer.subscription.created")[0]?.data.object.status).toBe("incomplete");
    const activated = h.webhooks.ofType("customer.subscription.updated")[0];
    expect(activated?.data.object.status).toBe("active");
    expect(activated?.data.previous_attributes).toMatchObject({ status: "incomplete" });
  });

  it("declined with 4000 0000 0000 0002: page shows the decline, session stays open, nothing is created", async () => {
    const { customer, session } = await openContribution(h);
    await h.emulator.idle();
    h.webhooks.clear();
    const response = await h.payOnPage(session.url ?? "", "4000 0000 0000 0002");
    expect(response.status).toBe(402);
    const markup = await response.text();
    expect(markup).toContain('role="alert"');
    expect(markup).toContain("Your card was declined.");
    expect(markup).toContain('aria-invalid="true"');
    expect(markup).toContain('value="4000 0000 0000 0002"');

    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: "all" })).data).toEqual([]);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toEqual([]);
    await h.emulator.idle();
    expect(h.webhooks.received).toEqual([]);

    // The same session can still be paid with a good card.
    const paid = await h.control(`/checkout/${session.id}/pay`, { card: "4242424242424242" });
    expect(paid.status).toBe(200);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
  });

  it("pays through the control API with Stripe's card_error on a decline, and refuses to pay twice", async () => {
    const { session } = await openContribution(h);
    const declined = await h.control(`/checkout/${session.id}/pay`, { card: "4000000000009995" });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({
      error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" },
    });

    const paid = await h.control(`/checkout/${session.id}/pay`);
    expect(paid.status).toBe(200);
    expect(paid.body.redirect_url).toBe(`http://hearth.test/c/fedi-town/thanks?session_id=${session.id}`);

    const again = await h.control(`/checkout/${session.id}/pay`);
    expect(again.status).toBe(400);
    const page = await fetch(session.url ?? "");
    expect(await page.text()).toContain("already complete");
  });

  it("accepts an existing price and creates the customer from customer_email", async () => {
    const product = await h.stripe.products.create({ name: "Supporter" });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: "usd",
      unit_amount: 300,
      recurring: { interval: "month" },
    });
    const session = await h.stripe.checkout.sessions.create({
      mode: "subscription",
      customer_email: "newcomer@example.org",
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: "http://hearth.test/ok",
    });
    expect(session.amount_total).toBe(600);
    await h.control(`/checkout/${session.id}/pay`);
    const completed = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ["customer", "subscription"] });
    expect((completed.customer as Stripe.Customer).email).toBe("newcomer@example.org");
    const subscription = completed.subscription as Stripe.Subscription;
    expect(subscription.items.data[0]).toMatchObject({ quantity: 2, price: { id: price.id } });
    const invoice = await h.stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice.amount_paid).toBe(600);
  });

  it("refuses a line item without a recurring price in subscription mode", async () => {
    const error = await rejection(
      h.stripe.checkout.sessions.create({
        mode: "subscription",
        line_items: [
          { quantity: 1, price_data: { currency: "eur", unit_amount: 100, product_data: { name: "once" } } },
        ],
        success_url: "http://hearth.test/ok",
      }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.param).toBe("line_items[0]");
  });
});
