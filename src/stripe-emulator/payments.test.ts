// Refunds of a contribution's charge, and the charge.refunded webhook that reports them.
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activeContribution, rejection, startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.webhooks.clear());
afterAll(() => h.stop());

async function firstPayment(subscription: Stripe.Subscription) {
  const invoice = await h.stripe.invoices.retrieve(String(subscription.latest_invoice));
  const paymentIntent = await h.stripe.paymentIntents.retrieve(
    String(invoice.payments?.data[0]?.payment.payment_intent),
  );
  return { paymentIntent, chargeId: String(paymentIntent.latest_charge) };
}

describe("refunds", () => {
  it("refunds part by payment intent, then the rest by charge, with charge.refunded each time", async () => {
    const { subscription } = await activeContribution(h, 1000);
    const { paymentIntent, chargeId } = await firstPayment(subscription);
    await h.emulator.idle();
    h.webhooks.clear();

    const partial = await h.stripe.refunds.create({
      payment_intent: paymentIntent.id,
      amount: 300,
      reason: "requested_by_customer",
    });
    expect(partial).toMatchObject({
      object: "refund",
      amount: 300,
      charge: chargeId,
      status: "succeeded",
      currency: "eur",
    });
    expect(await h.stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 300, refunded: false });

    const rest = await h.stripe.refunds.create({ charge: chargeId });
    expect(rest.amount).toBe(700);
    expect(await h.stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 1000, refunded: true });

    await h.emulator.idle();
    const refunded = h.webhooks.ofType("charge.refunded");
    expect(refunded.map((e) => [e.data.object.amount_refunded, e.data.object.refunded])).toEqual([
      [300, false],
      [1000, true],
    ]);
    expect(refunded[0]?.data.previous_attributes).toMatchObject({ amount_refunded: 0 });
    expect((await h.stripe.refunds.list({ charge: chargeId })).data.map((r) => r.id)).toEqual([rest.id, partial.id]);
  });

  it("refuses to refund more than is left, and a charge already refunded", async () => {
    const { subscription } = await activeContribution(h, 500);
    const { chargeId } = await firstPayment(subscription);

    const tooMuch = await rejection(h.stripe.refunds.create({ charge: chargeId, amount: 501 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch.code).toBe("amount_too_large");

    await h.stripe.refunds.create({ charge: chargeId });
    const twice = await rejection(h.stripe.refunds.create({ charge: chargeId }));
    expect(twice.code).toBe("charge_already_refunded");
    expect((await h.stripe.charges.retrieve(chargeId)).amount_refunded).toBe(500);
  });

  it("answers refunds of unknown charges with resource_missing on the charge param", async () => {
    const error = await rejection(h.stripe.refunds.create({ charge: "ch_missing" }));
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing", param: "charge" });
  });
});
