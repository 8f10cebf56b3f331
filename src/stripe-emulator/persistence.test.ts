// With a state file, a restarted emulator still knows every object; reset forgets them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { startStripeEmulator } from "./server";
import { WEBHOOK_SECRET, rejection, sdkFor } from "./testing";

const dir = mkdtempSync(join(tmpdir(), "stripe-emulator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("state file", () => {
  it("keeps customers, sessions and subscriptions across a restart", async () => {
    const stateFile = join(dir, "nested", "stripe.json");
    const first = await startStripeEmulator({ webhookSecret: WEBHOOK_SECRET, stateFile, log: () => {} });
    const stripe = sdkFor(first);
    const customer = await stripe.customers.create({ email: "persist@example.org" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "eur",
            unit_amount: 400,
            recurring: { interval: "month" },
            product_data: { name: "x" },
          },
        },
      ],
      success_url: "http://hearth.test/ok",
    });
    await fetch(`${first.url}/_emulator/checkout/${session.id}/pay`, { method: "POST" });
    await first.stop();

    const second = await startStripeEmulator({ webhookSecret: WEBHOOK_SECRET, stateFile, log: () => {} });
    try {
      const again = sdkFor(second);
      expect((await again.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
        email: "persist@example.org",
      });
      const completed = await again.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
      expect((completed.subscription as Stripe.Subscription).status).toBe("active");
      // Ids keep increasing invoice numbers per customer after the restart.
      await fetch(
        `${second.url}/_emulator/subscriptions/${(completed.subscription as Stripe.Subscription).id}/advance`,
        {
          method: "POST",
        },
      );
      const numbers = (await again.invoices.list({ customer: customer.id })).data.map((i) => i.number?.slice(-4));
      expect(numbers).toEqual(["0002", "0001"]);

      const reset = await fetch(`${second.url}/_emulator/reset`, { method: "POST" });
      expect(reset.status).toBe(200);
      const gone = await rejection(again.customers.retrieve(customer.id));
      expect(gone).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    } finally {
      await second.stop();
    }
  });

  it("leaves state untouched when an operation fails half-way", async () => {
    const emulator = await startStripeEmulator({ webhookSecret: WEBHOOK_SECRET, log: () => {} });
    try {
      const stripe = sdkFor(emulator);
      // The first line item creates an inline product and price before the second fails.
      const error = await rejection(
        stripe.checkout.sessions.create({
          mode: "subscription",
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: "eur",
                unit_amount: 100,
                recurring: { interval: "month" },
                product_data: { name: "a" },
              },
            },
            { quantity: 1, price: "price_missing" },
          ],
          success_url: "http://hearth.test/ok",
        }),
      );
      expect(error).toMatchObject({ statusCode: 404, param: "line_items[1][price]" });
      expect((await stripe.prices.list()).data).toEqual([]);
      expect((await stripe.checkout.sessions.list()).data).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });
});
