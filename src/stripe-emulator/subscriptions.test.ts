// Subscriptions after checkout: the customer portal, API updates and cancellation, and
// renewals and dunning driven by the control API.
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activeContribution, rejection, startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.webhooks.clear());
afterAll(() => h.stop());

// Wait for deliveries of earlier steps, then start counting webhooks afresh.
async function settle(): Promise<void> {
  await h.emulator.idle();
  h.webhooks.clear();
}

async function portalFor(customer: string) {
  return h.stripe.billingPortal.sessions.create({ customer, return_url: "http://hearth.test/account" });
}

function postForm(url: string, fields: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

describe("customer portal", () => {
  it("lists the member's subscription and invoices, and 'Cancel now' deletes it with a webhook", async () => {
    const { customer, subscription } = await activeContribution(h, 500);
    const portal = await portalFor(customer.id);
    expect(portal).toMatchObject({
      object: "billing_portal.session",
      customer: customer.id,
      return_url: "http://hearth.test/account",
    });

    const markup = await (await fetch(portal.url)).text();
    expect(markup).toContain("€5.00 per month");
    expect(markup).toContain(`/invoices/${String(subscription.latest_invoice)}`);
    await settle();

    const response = await postForm(`${portal.url}/subscriptions/${subscription.id}/cancel`, { when: "now" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://hearth.test/account");

    const canceled = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.ended_at).not.toBeNull();
    expect(canceled.cancellation_details?.reason).toBe("cancellation_requested");
    await h.emulator.idle();
    const deleted = h.webhooks.ofType("customer.subscription.deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0]?.data.object).toMatchObject({ id: subscription.id, status: "canceled" });
  });

  it("cancels at period end, can undo it, and changes the monthly amount", async () => {
    const { customer, subscription } = await activeContribution(h, 500);
    const portal = await portalFor(customer.id);
    const base = `${portal.url}/subscriptions/${subscription.id}`;
    await settle();

    expect((await postForm(`${base}/cancel`, { when: "period_end" })).status).toBe(303);
    const ending = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(ending).toMatchObject({
      status: "active",
      cancel_at_period_end: true,
      cancel_at: ending.items.data[0]?.current_period_end,
    });

    expect((await postForm(`${base}/renew`)).status).toBe(303);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(false);

    const invalid = await postForm(`${base}/amount`, { amount: "five" });
    expect(invalid.status).toBe(400);
    const invalidPage = await invalid.text();
    expect(invalidPage).toContain("Enter an amount such as 5 or 5.50.");
    expect(invalidPage).toContain('value="five"');

    expect((await postForm(`${base}/amount`, { amount: "12.50" })).status).toBe(303);
    const changed = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(changed.items.data[0]?.price).toMatchObject({
      unit_amount: 1250,
      currency: "eur",
      recurring: { interval: "month" },
    });
    expect(changed.items.data[0]?.id).toBe(subscription.items.data[0]?.id);

    await h.emulator.idle();
    const updates = h.webhooks.ofType("customer.subscription.updated");
    expect(updates.map((u) => u.data.object.cancel_at_period_end)).toEqual([true, false, false]);
    expect(updates[2]?.data.previous_attributes).toHaveProperty("items");
  });

  it("never reaches another customer's subscription", async () => {
    const mine = await activeContribution(h);
    const theirs = await activeContribution(h);
    const portal = await portalFor(mine.customer.id);
    const response = await postForm(`${portal.url}/subscriptions/${theirs.subscription.id}/cancel`, { when: "now" });
    expect(response.status).toBe(404);
    expect((await h.stripe.subscriptions.retrieve(theirs.subscription.id)).status).toBe("active");
    expect(await (await fetch(portal.url)).text()).not.toContain(theirs.subscription.id);
  });
});

describe("subscriptions API", () => {
  it("updates cancel_at_period_end and the price through the SDK, and cancels with DELETE", async () => {
    const { customer, subscription } = await activeContribution(h, 500);
    const item = subscription.items.data[0];
    await settle();

    const ending = await h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(ending.cancel_at_period_end).toBe(true);

    const product = String(item?.price.product);
    const repriced = await h.stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: false,
      items: [
        { id: item?.id, price_data: { currency: "eur", product, unit_amount: 900, recurring: { interval: "month" } } },
      ],
      proration_behavior: "none",
      metadata: { tier: "patron" },
    });
    expect(repriced.items.data[0]?.price.unit_amount).toBe(900);
    expect(repriced.metadata).toEqual({ community: "fedi-town", member: "member-1", tier: "patron" });

    const other = await h.stripe.prices.create({
      product,
      currency: "eur",
      unit_amount: 300,
      recurring: { interval: "month" },
    });
    const switched = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item?.id, price: other.id }],
    });
    expect(switched.items.data[0]?.price.id).toBe(other.id);

    const listed = await h.stripe.subscriptions.list({ customer: customer.id, status: "active" });
    expect(listed.data.map((s) => s.id)).toEqual([subscription.id]);

    const canceled = await h.stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe("canceled");
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: "canceled" })).data).toHaveLength(1);

    const again = await rejection(h.stripe.subscriptions.cancel(subscription.id));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);

    await h.emulator.idle();
    // Inline price_data makes no price.created event; prices.create does.
    expect(h.webhooks.types()).toEqual([
      "customer.subscription.updated",
      "customer.subscription.updated",
      "price.created",
      "customer.subscription.updated",
      "customer.subscription.deleted",
    ]);
  });
});

describe("renewals and dunning (control API)", () => {
  it("advance with outcome=paid bills the next month and sends invoice.paid", async () => {
    const { subscription } = await activeContribution(h, 500);
    const firstEnd = subscription.items.data[0]?.current_period_end ?? 0;
    await settle();

    const advanced = await h.control(`/subscriptions/${subscription.id}/advance`, { outcome: "paid" });
    expect(advanced.status).toBe(200);

    const renewed = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(renewed.status).toBe("active");
    expect(renewed.items.data[0]?.current_period_start).toBe(firstEnd);
    const invoice = renewed.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 500, billing_reason: "subscription_cycle" });
    expect(invoice.lines.data[0]?.period.start).toBe(firstEnd);

    const invoices = await h.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(2);

    await h.emulator.idle();
    expect(h.webhooks.ofType("invoice.paid").map((e) => e.data.object.id)).toEqual([invoice.id]);
  });

  it("advance with outcome=failed makes it past_due; a second failure cancels; a retry can recover", async () => {
    const { subscription } = await activeContribution(h, 500);
    await settle();

    await h.control(`/subscriptions/${subscription.id}/advance`, { outcome: "failed" });
    const pastDue = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(pastDue.status).toBe("past_due");
    const open = await h.stripe.invoices.retrieve(String(pastDue.latest_invoice));
    expect(open).toMatchObject({ status: "open", amount_paid: 0, amount_remaining: 500, attempt_count: 1 });
    await h.emulator.idle();
    expect(h.webhooks.ofType("invoice.payment_failed").map((e) => e.data.object.id)).toEqual([open.id]);
    expect(h.webhooks.ofType("customer.subscription.updated").at(-1)?.data.object.status).toBe("past_due");

    // Retrying the open invoice successfully brings it back to active.
    const retried = await h.control(`/invoices/${open.id}/pay`, { outcome: "paid" });
    expect(retried.body).toMatchObject({ status: "paid", attempt_count: 2 });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");

    await h.control(`/subscriptions/${subscription.id}/advance`, { outcome: "failed" });
    await h.control(`/subscriptions/${subscription.id}/advance`, { outcome: "failed" });
    const ended = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe("canceled");
    expect(ended.cancellation_details?.reason).toBe("payment_failed");
    await h.emulator.idle();
    expect(h.webhooks.ofType("customer.subscription.deleted").map((e) => e.data.object.id)).toEqual([subscription.id]);

    const refused = await h.control(`/subscriptions/${subscription.id}/advance`);
    expect(refused.status).toBe(400);
  });

  it("ends a subscription set to cancel at period end instead of renewing it", async () => {
    const { subscription } = await activeContribution(h);
    await h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await settle();
    const advanced = await h.control(`/subscriptions/${subscription.id}/advance`);
    expect(advanced.body.invoice).toBeNull();
    const ended = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe("canceled");
    expect(ended.ended_at).toBe(subscription.items.data[0]?.current_period_end);
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    await h.emulator.idle();
    expect(h.webhooks.types()).toEqual(["customer.subscription.deleted"]);
  });
});

describe("subscriptions with finalFailure=unpaid", () => {
  it("moves a twice-failed subscription to unpaid instead of canceling it", async () => {
    const other = await startHarness({ finalFailure: "unpaid" });
    try {
      const { subscription } = await activeContribution(other);
      await other.control(`/subscriptions/${subscription.id}/advance`, { outcome: "failed" });
      await other.control(`/subscriptions/${subscription.id}/advance`, { outcome: "failed" });
      expect((await other.stripe.subscriptions.retrieve(subscription.id)).status).toBe("unpaid");
    } finally {
      await other.stop();
    }
  });
});
