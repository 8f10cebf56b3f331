// Starting a contribution: what is refused (each at its field), and what Stripe is asked for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { COMMUNITY_NOT_FOUND, COMMUNITY_SUSPENDED, MAX_PENDING_CHECKOUTS, startContribution } from "./start-contribution";
import { contribute, makeFundableCommunity, makePerson, sessionIdOf } from "./testing/fixtures";
import { startFundingHarness, type FundingHarness } from "./testing/stripe-harness";

let harness: FundingHarness;
beforeAll(async () => {
  harness = await startFundingHarness();
});
afterAll(() => harness.stop());

async function refusal(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the contribution to be refused");
}

const stripeCustomers = async () => (await harness.stripe.customers.list({ limit: 100 })).data.length;

describe("startContribution refuses", () => {
  it("more open checkouts than MAX_PENDING_CHECKOUTS per person, even when asked for all at once", async () => {
    const person = await makePerson();
    const communities = await Promise.all(Array.from({ length: MAX_PENDING_CHECKOUTS + 3 }, () => makeFundableCommunity()));
    const results = await Promise.allSettled(
      communities.map((community) => startContribution(person, { community: community.slug, amount: "5", visibility: "anonymous" })),
    );
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as AppError);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(MAX_PENDING_CHECKOUTS);
    expect(refused.map((e) => e.code)).toEqual(Array(3).fill("RATE_LIMITED"));
    expect(refused[0]!.message).toMatch(/checkouts that were opened and not finished/);
    expect(await db.contribution.count({ where: { userId: person.id, status: "PENDING" } })).toBe(MAX_PENDING_CHECKOUTS);
    // Another person is not affected.
    const other = await makePerson();
    await expect(startContribution(other, { community: communities[0]!.slug, amount: "5", visibility: "anonymous" })).resolves.toMatchObject({ url: expect.any(String) });
  });

  it.each([
    ["0", "amount", "The smallest monthly contribution is €1.00."],
    ["-5", "amount", "The smallest monthly contribution is €1.00."],
    ["1e9", "amount", "The largest monthly contribution on this host is €1,000.00."],
    ["lots", "amount", "Enter the amount as a number in EUR, like 5 or 7.50."],
    ["", "amount", "Enter an amount in EUR, like 5 or 7.50."],
  ])("the amount %j at its field, creating nothing", async (amount, field, message) => {
    const community = await makeFundableCommunity();
    const person = await makePerson();
    const before = { contributions: await db.contribution.count(), customers: await stripeCustomers() };
    const error = await refusal(startContribution(person, { community: community.slug, amount, visibility: "anonymous" }));
    expect(error.code).toBe("UNPROCESSABLE");
    expect(error.fields).toEqual({ [field]: message });
    expect({ contributions: await db.contribution.count(), customers: await stripeCustomers() }).toEqual(before);
    expect(await db.stripeCustomer.count({ where: { userId: person.id } })).toBe(0);
  });

  it("a custom amount at the custom field, and another currency at the currency field", async () => {
    const community = await makeFundableCommunity();
    const person = await makePerson();
    const error = await refusal(
      startContribution(person, { community: community.slug, amount: "custom", customAmount: "abc", currency: "usd", visibility: "anonymous" }),
    );
    expect(error.fields).toEqual({
      customAmount: "Enter the amount as a number in EUR, like 5 or 7.50.",
      currency: "Contributions on this host are in EUR.",
    });
  });

  it("a public contribution without a name, and a message that is too long", async () => {
    const community = await makeFundableCommunity();
    const error = await refusal(
      startContribution(await makePerson(), { community: community.slug, amount: "5", visibility: "public", message: "x".repeat(141) }),
    );
    expect(error.fields).toEqual({
      publicName: "Enter the name to show, or choose anonymous.",
      message: "Keep the message to 140 characters.",
    });
  });

  it("a community that does not exist, is a draft, or is suspended by a host admin", async () => {
    const person = await makePerson();
    const missing = await refusal(startContribution(person, { community: "no-such-town-here", amount: "5", visibility: "anonymous" }));
    expect([missing.code, missing.message]).toEqual(["NOT_FOUND", COMMUNITY_NOT_FOUND]);

    const draft = await makeFundableCommunity();
    await db.community.update({ where: { id: draft.id }, data: { status: "DRAFT" } });
    expect((await refusal(startContribution(person, { community: draft.slug, amount: "5", visibility: "anonymous" }))).code).toBe("NOT_FOUND");

    const suspended = await makeFundableCommunity();
    await db.community.update({ where: { id: suspended.id }, data: { adminSuspendedAt: new Date() } });
    const refused = await refusal(startContribution(person, { community: suspended.slug, amount: "5", visibility: "anonymous" }));
    expect([refused.code, refused.message]).toEqual(["CONFLICT", COMMUNITY_SUSPENDED]);
    expect(await db.contribution.count({ where: { userId: person.id } })).toBe(0);
  });

  it("a second contribution while the first is active", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 9000 });
    const person = await makePerson();
    await contribute(harness, person, community, { amount: "5" });
    const error = await refusal(startContribution(person, { community: community.slug, amount: "5", visibility: "anonymous" }));
    expect(error.code).toBe("CONFLICT");
  });
});

describe("startContribution", () => {
  it("stores the Stripe customer before Checkout and opens a monthly subscription Checkout for the amount", async () => {
    const community = await makeFundableCommunity();
    const person = await makePerson("Robin");
    const { url, contributionId } = await startContribution(person, {
      community: community.slug,
      amount: "custom",
      customAmount: "7.50",
      currency: "EUR",
      visibility: "public",
      publicName: "Robin H.",
      message: "Keep it running!",
    });
    const stored = await db.stripeCustomer.findUniqueOrThrow({ where: { userId: person.id } });
    const customer = await harness.stripe.customers.retrieve(stored.stripeCustomerId);
    expect(customer).toMatchObject({ email: person.email, metadata: { hearthUserId: person.id } });

    const contribution = await db.contribution.findUniqueOrThrow({ where: { id: contributionId } });
    expect(contribution).toMatchObject({ status: "PENDING", amount: 750, currency: "eur", isPublic: true, publicName: "Robin H.", message: "Keep it running!" });
    const session = await harness.stripe.checkout.sessions.retrieve(sessionIdOf(url), { expand: ["line_items"] });
    expect(session).toMatchObject({ id: contribution.stripeCheckoutSessionId, mode: "subscription", customer: stored.stripeCustomerId, client_reference_id: contributionId });
    const price = session.line_items!.data[0]!.price!;
    expect(price).toMatchObject({ unit_amount: 750, currency: "eur", recurring: { interval: "month", interval_count: 1 } });
    expect(session.success_url).toContain(`/c/${community.slug}/contribute/thanks?session_id={CHECKOUT_SESSION_ID}`);

    // A second contribution (another community) reuses the customer and the community's product is kept.
    const other = await makeFundableCommunity();
    await startContribution(person, { community: other.slug, amount: "3", visibility: "anonymous" });
    expect(await db.stripeCustomer.count({ where: { userId: person.id } })).toBe(1);
    expect((await harness.stripe.customers.list({ email: person.email })).data).toHaveLength(1);
    expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).stripeProductId).toBe(
      typeof price.product === "string" ? price.product : price.product.id,
    );
  });

  it("a declined card leaves the contribution pending and the community's money untouched", async () => {
    const community = await makeFundableCommunity();
    const person = await makePerson();
    const { url, contributionId } = await startContribution(person, { community: community.slug, amount: "20", visibility: "anonymous" });
    await expect(harness.control(`/checkout/${sessionIdOf(url)}/pay`, { card: "4000000000000002" })).rejects.toThrow(/card_declined/);
    await harness.settle();
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).status).toBe("PENDING");
    expect(await db.ledgerEntry.count({ where: { communityId: community.id } })).toBe(0);
  });
});
