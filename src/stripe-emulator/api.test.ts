// The /v1 API through the real stripe SDK: objects, errors, auth, idempotency, expansion.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, sdkFor, startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe("customers", () => {
  it("creates, retrieves, updates and lists by email", async () => {
    const email = "ada@example.org";
    const created = await h.stripe.customers.create({ email, name: "Ada", metadata: { hearth_user: "u_1" } });
    expect(created.id).toMatch(/^cus_/);
    expect(created).toMatchObject({ object: "customer", email, name: "Ada", metadata: { hearth_user: "u_1" } });

    const retrieved = await h.stripe.customers.retrieve(created.id);
    expect(retrieved).toEqual(created);

    const updated = await h.stripe.customers.update(created.id, {
      name: "Ada L.",
      metadata: { hearth_user: "", plan: "x" },
    });
    expect(updated.name).toBe("Ada L.");
    expect(updated.metadata).toEqual({ plan: "x" });

    await h.stripe.customers.create({ email: "someone-else@example.org" });
    const listed = await h.stripe.customers.list({ email });
    expect(listed.data.map((c) => c.id)).toEqual([created.id]);
  });

  it("paginates newest first with the SDK's auto-pagination", async () => {
    const email = "many@example.org";
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.stripe.customers.create({ email })).id);
    const firstPage = await h.stripe.customers.list({ email, limit: 2 });
    expect(firstPage.has_more).toBe(true);
    expect(firstPage.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const all = await h.stripe.customers.list({ email, limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual([...ids].reverse());
  });
});

describe("products and prices", () => {
  it("creates a monthly price for a product and reads it back", async () => {
    const product = await h.stripe.products.create({ name: "Hosting for fedi.town" });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: "EUR",
      unit_amount: 1250,
      recurring: { interval: "month" },
    });
    expect(price).toMatchObject({
      object: "price",
      product: product.id,
      currency: "eur",
      unit_amount: 1250,
      type: "recurring",
      recurring: { interval: "month", interval_count: 1 },
    });
    // The SDK turns the wire's decimal string into its Decimal type.
    expect(price.unit_amount_decimal?.toString()).toBe("1250");
    const again = await h.stripe.prices.retrieve(price.id, { expand: ["product"] });
    expect((again.product as Stripe.Product).name).toBe("Hosting for fedi.town");
  });
});

describe("errors", () => {
  it("answers unknown ids with Stripe's 404 resource_missing, which the SDK raises as StripeInvalidRequestError", async () => {
    const stripeError = await rejection(h.stripe.subscriptions.retrieve("sub_doesnotexist"));
    expect(stripeError).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(stripeError.statusCode).toBe(404);
    expect(stripeError.code).toBe("resource_missing");
    expect(stripeError.param).toBe("id");
    expect(stripeError.message).toBe("No such subscription: 'sub_doesnotexist'");
    expect(stripeError.requestId).toMatch(/^req_/);

    const raw = await fetch(`${h.emulator.url}/v1/charges/ch_nope`, { headers: { authorization: "Bearer sk_test_x" } });
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: "No such charge: 'ch_nope'",
        param: "id",
        doc_url: "https://stripe.com/docs/error-codes/resource-missing",
      },
    });
  });

  it("refuses keys that are not sk_test_ with 401, raised by the SDK as StripeAuthenticationError", async () => {
    // Shaped like a live key, plainly not one: the emulator refuses any key but sk_test_.
    const live = sdkFor(h.emulator, "sk_live_" + "not-a-real-key");
    const error = await rejection(live.customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);

    const anonymous = await fetch(`${h.emulator.url}/v1/customers`);
    expect(anonymous.status).toBe(401);
    const body = (await anonymous.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("You did not provide an API key");
  });

  it("names unknown and missing parameters in bracket notation", async () => {
    const unknown = await rejection(
      h.stripe.customers.create({ email: "x@example.org", nonsense: "1" } as Stripe.CustomerCreateParams),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "nonsense" });

    const missing = await rejection(
      h.stripe.checkout.sessions.create({
        mode: "subscription",
        success_url: "http://hearth.test/ok",
        line_items: [{ quantity: 1, price_data: { unit_amount: 100, product_data: { name: "x" } } as never }],
      }),
    );
    expect(missing).toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "line_items[0][price_data][currency]",
    });
  });

  it("answers unimplemented endpoints with Stripe's unrecognized URL error", async () => {
    const error = await rejection(h.stripe.payouts.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.message).toContain("Unrecognized request URL (GET: /v1/payouts)");
  });
});

describe("idempotency", () => {
  it("replays the first result for a repeated key and refuses the key with other parameters", async () => {
    const first = await h.stripe.customers.create({ email: "once@example.org" }, { idempotencyKey: "signup-42" });
    const second = await h.stripe.customers.create({ email: "once@example.org" }, { idempotencyKey: "signup-42" });
    expect(second.id).toBe(first.id);
    expect((await h.stripe.customers.list({ email: "once@example.org" })).data).toHaveLength(1);

    const error = await rejection(
      h.stripe.customers.create({ email: "other@example.org" }, { idempotencyKey: "signup-42" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });
});

describe("form encoding as curl users write it", () => {
  it("accepts expand[] and metadata[] without indices", async () => {
    const customer = await h.stripe.customers.create({ email: "curl@example.org" });
    const response = await fetch(`${h.emulator.url}/v1/billing_portal/sessions?expand[]=customer`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("sk_test_curl:").toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: `customer=${customer.id}&return_url=${encodeURIComponent("http://hearth.test/account")}&expand[]=customer`,
    });
    expect(response.status).toBe(200);
    const session = (await response.json()) as { customer: { id: string; email: string }; url: string };
    expect(session.customer).toMatchObject({ id: customer.id, email: "curl@example.org" });
    expect(session.url).toMatch(new RegExp(`^${h.emulator.url}/portal/bps_`));
  });
});
