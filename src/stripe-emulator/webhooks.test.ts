// Webhook delivery: Stripe's signature scheme, retries, giving up, re-sending, and the
// events API that records the same events.
import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { startStripeEmulator } from "./server";
import { WEBHOOK_SECRET, openContribution, rejection, sdkFor, startHarness, type Harness } from "./testing";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("webhook delivery", () => {
  it("signs the raw body as Stripe does: t=<seconds>,v1=HMAC-SHA256(secret, t.body)", async () => {
    h = await startHarness();
    const customer = await h.stripe.customers.create({ email: "sig@example.org" });
    await h.emulator.idle();
    const [hook] = h.webhooks.received;
    expect(hook?.event).toMatchObject({ type: "customer.created", data: { object: { id: customer.id } } });
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hook?.signature ?? "");
    expect(match).not.toBeNull();
    const [, timestamp, signature] = match ?? [];
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
    const expected = createHmac("sha256", WEBHOOK_SECRET).update(`${timestamp}.${hook?.rawBody}`).digest("hex");
    expect(signature).toBe(expected);

    // A body re-serialized by the receiver no longer verifies: handlers must use the raw body.
    const reserialized = JSON.stringify(JSON.parse(hook?.rawBody ?? "{}"));
    expect(() => Stripe.webhooks.constructEvent(reserialized, hook?.signature ?? "", WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => Stripe.webhooks.constructEvent(hook?.rawBody ?? "", hook?.signature ?? "", "whsec_wrong")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("retries a failing endpoint and marks the event delivered once it answers 2xx", async () => {
    h = await startHarness();
    h.webhooks.failNext(2);
    const customer = await h.stripe.customers.create({ email: "retry@example.org" });
    await h.emulator.idle();
    expect(h.webhooks.requests).toBe(3);
    expect(h.webhooks.types()).toEqual(["customer.created"]);
    const [delivery] = h.emulator.deliveries();
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, lastResponseStatus: 200 });
    const [event] = (await h.stripe.events.list({ type: "customer.created" })).data;
    expect(event?.data.object).toMatchObject({ id: customer.id });
    expect(event?.pending_webhooks).toBe(0);
  });

  it("gives up after the last retry when the endpoint is down, without blocking the API", async () => {
    const emulator = await startStripeEmulator({
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: "http://127.0.0.1:9/unreachable",
      webhookRetryDelaysMs: [10, 10],
      log: () => {},
    });
    try {
      const stripe = sdkFor(emulator);
      const started = Date.now();
      await stripe.customers.create({ email: "down@example.org" });
      expect(Date.now() - started).toBeLessThan(1000);
      await emulator.idle();
      const [delivery] = emulator.deliveries();
      expect(delivery).toMatchObject({ status: "failed", attempts: 3, lastResponseStatus: null });
      expect(delivery?.lastError).toBeTruthy();
      const [event] = (await stripe.events.list()).data;
      expect(event?.pending_webhooks).toBe(1);
    } finally {
      await emulator.stop();
    }
  });

  it("delivers the events of one operation in the order they happened", async () => {
    h = await startHarness();
    const { session } = await openContribution(h);
    await h.emulator.idle();
    h.webhooks.clear();
    h.webhooks.failNext(1); // a retry of the first event must not let later ones overtake it
    await h.control(`/checkout/${session.id}/pay`);
    await h.emulator.idle();
    expect(h.webhooks.types()).toEqual([
      "customer.subscription.created",
      "invoice.created",
      "invoice.finalized",
      "charge.succeeded",
      "payment_intent.succeeded",
      "invoice.paid",
      "invoice.payment_succeeded",
      "customer.subscription.updated",
      "checkout.session.completed",
    ]);
  });

  it("re-sends a stored event with the same id and data, for duplicate-delivery tests", async () => {
    h = await startHarness();
    await h.stripe.customers.create({ email: "twice@example.org" });
    await h.emulator.idle();
    const [created] = h.webhooks.received;
    const resent = await h.control(`/events/${created?.event.id}/resend`);
    expect(resent.status).toBe(200);
    h.emulator.resend(created?.event.id ?? "");
    await h.emulator.idle();
    const copies = h.webhooks.received.filter((hook) => hook.event.id === created?.event.id);
    expect(copies).toHaveLength(3);
    expect(copies[2]?.event.data).toEqual(copies[0]?.event.data);

    const missing = await h.control("/events/evt_missing/resend");
    expect(missing.status).toBe(404);
  });

  it("stores every event for the events API, filterable by type with a wildcard", async () => {
    h = await startHarness();
    const customer = await h.stripe.customers.create({ email: "events@example.org" });
    await h.stripe.customers.update(customer.id, { name: "Changed" });
    const updates = await h.stripe.events.list({ type: "customer.*" });
    expect(updates.data.map((e) => e.type)).toEqual(["customer.updated", "customer.created"]);
    const updated = await h.stripe.events.retrieve(updates.data[0]?.id ?? "");
    expect(updated.data.previous_attributes).toEqual({ name: null });
    expect(updated.request?.id).toMatch(/^req_/);
    const missing = await rejection(h.stripe.events.retrieve("evt_missing"));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});
