// The webhook route against the real database and a real Stripe emulator: signatures,
// duplicate and concurrent deliveries, events out of order, events Hearth ignores.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { contribute, makeFundableCommunity, makePerson, sessionIdOf } from "@/server/funding/testing/fixtures";
import { postWebhook, sign, startFundingHarness, type FundingHarness } from "@/server/funding/testing/stripe-harness";
import { getFundingSummary } from "@/server/funding/get-funding-summary";
import { startContribution } from "@/server/funding/start-contribution";
import { flushEventLog } from "./event-log";
import { SIGNATURE_TOLERANCE_SECONDS } from "./handle-webhook";

let harness: FundingHarness;
beforeAll(async () => {
  harness = await startFundingHarness();
});
afterAll(() => harness.stop());

/** An event as Stripe sends it: the emulator's stored event, pretty-printed. */
function payloadOf(eventId: string): string {
  const event = harness.emulator.events().find((e) => e.id === eventId);
  if (!event) throw new Error(`no event ${eventId}`);
  return JSON.stringify(event, null, 2);
}

const counts = async () => ({ events: await db.stripeEvent.count(), ledger: await db.ledgerEntry.count() });

/** A community with a paid contribution whose events were stored but not delivered. */
async function undeliveredContribution(amount = "10") {
  harness.deliverWebhooks(false);
  try {
    const community = await makeFundableCommunity({ monthlyCost: 1000 });
    const person = await makePerson("Noor");
    const { url, contributionId } = await startContribution(person, { community: community.slug, amount, visibility: "anonymous" });
    const before = new Set(harness.emulator.events().map((e) => e.id));
    await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
    const events = harness.emulator.events().filter((e) => !before.has(e.id));
    return { community, contributionId, events };
  } finally {
    harness.deliverWebhooks(true);
  }
}

describe("webhook signatures", () => {
  it("refuses a missing, wrong, stale or tampered signature with 400 and records nothing", async () => {
    const { events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
    await flushEventLog(); // batched rows of earlier events must not land in the middle
    const before = await counts();
    const now = Math.floor(Date.now() / 1000);

    const attempts = {
      missing: await postWebhook(body, null),
      wrongSecret: await postWebhook(body, sign(body, now, "whsec_not_the_secret")),
      garbage: await postWebhook(body, "t=123,v1=deadbeef"),
      stale: await postWebhook(body, sign(body, now - SIGNATURE_TOLERANCE_SECONDS - 5)),
      tampered: await postWebhook(body.replace('"amount_paid": 1000', '"amount_paid": 999999'), sign(body, now)),
      reformatted: await postWebhook(JSON.stringify(JSON.parse(body)), sign(body, now)),
    };
    for (const [name, response] of Object.entries(attempts)) {
      expect(response.status, name).toBe(400);
      expect((await response.json()).received, name).toBe(false);
    }
    expect(await counts()).toEqual(before);
    expect(await db.stripeEvent.findUnique({ where: { id: paid.id } })).toBeNull();

    // The same bytes, correctly signed, are accepted: the refusals were about the signature.
    const ok = await postWebhook(body, sign(body, now));
    expect(ok.status).toBe(200);
    expect(await db.stripeEvent.findUnique({ where: { id: paid.id } })).not.toBeNull();
  });
});

describe("webhook deduplication", () => {
  it("processes an event once when it is delivered twice", async () => {
    const { contributionId, events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
    const first = await postWebhook(body, sign(body));
    const second = await postWebhook(body, sign(body));
    expect(await first.json()).toEqual({ received: true, outcome: "processed" });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    expect(await db.stripeEvent.count({ where: { id: paid.id } })).toBe(1);
  });

  it("processes an event once when ten deliveries arrive at the same time", async () => {
    const { community, contributionId, events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postWebhook(body, sign(body))));
    const outcomes = await Promise.all(responses.map(async (r) => [r.status, (await r.json()).outcome]));
    expect(outcomes.filter(([status]) => status === 200)).toHaveLength(10);
    expect(outcomes.filter(([, outcome]) => outcome === "processed")).toHaveLength(1);
    expect(outcomes.filter(([, outcome]) => outcome === "duplicate")).toHaveLength(9);
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    // The 1000-cent payment funded the 1000-cent plan exactly once (its first month is charged
    // when the server is up, which no provisioning here makes it).
    expect(await db.fundingTransition.count({ where: { communityId: community.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { communityId: community.id, kind: "HOSTING" } })).toBe(0);
  });

  it("acknowledges events it does not handle, once", async () => {
    const { events } = await undeliveredContribution();
    const ignored = events.find((e) => e.type === "payment_intent.succeeded")!;
    const body = payloadOf(ignored.id);
    const response = await postWebhook(body, sign(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "ignored" });
    const again = await postWebhook(body, sign(body));
    expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });
    await flushEventLog();
    expect(await db.stripeEvent.findUnique({ where: { id: ignored.id } })).toMatchObject({ type: "payment_intent.succeeded" });
  });
});

describe("events out of order", () => {
  it("converges when subscription.updated arrives before checkout.session.completed, whatever comes after", async () => {
    const { community, contributionId, events } = await undeliveredContribution("12");
    const pick = (type: string) => events.find((e) => e.type === type)!;
    // Reverse of Stripe's order, with the checkout completion last.
    const order = [
      pick("customer.subscription.updated"),
      pick("invoice.paid"),
      pick("customer.subscription.created"),
      pick("checkout.session.completed"),
    ];
    const first = order[0]!;
    const afterFirst = await postWebhook(payloadOf(first.id), sign(payloadOf(first.id)));
    expect(afterFirst.status).toBe(200);
    // The first event alone already converged everything, read back from Stripe.
    const contribution = await db.contribution.findUniqueOrThrow({ where: { id: contributionId } });
    expect(contribution).toMatchObject({ status: "ACTIVE", amount: 1200 });
    expect(contribution.stripeSubscriptionId).toMatch(/^sub_/);
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);

    for (const event of order.slice(1)) {
      const response = await postWebhook(payloadOf(event.id), sign(payloadOf(event.id)));
      expect(response.status).toBe(200);
    }
    // customer.subscription.created carried status "incomplete", but Stripe says active now.
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).status).toBe("ACTIVE");
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("FUNDED");
  });

  it("records a cancellation made in the portal, and pledges stop counting it", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 5000 });
    const { contribution } = await contribute(harness, await makePerson(), community, { amount: "7" });
    await harness.stripe.subscriptions.update(contribution.stripeSubscriptionId!, { cancel_at_period_end: true });
    await harness.settle();
    expect(await db.contribution.findUniqueOrThrow({ where: { id: contribution.id } })).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true });
    // Still a supporter this month, but no longer a pledge for the months to come.
    expect((await getFundingSummary(community.id))!).toMatchObject({ pledged: 0, supporters: { total: 1 } });
    await harness.stripe.subscriptions.cancel(contribution.stripeSubscriptionId!);
    await harness.settle();
    const ended = await db.contribution.findUniqueOrThrow({ where: { id: contribution.id } });
    expect(ended.status).toBe("CANCELED");
    expect(ended.endedAt).not.toBeNull();
    expect((await getFundingSummary(community.id))!.supporters.total).toBe(0);
  });
});
