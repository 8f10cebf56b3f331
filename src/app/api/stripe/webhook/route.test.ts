// The webhook route against the real database and a real Stripe emulator: signatures, the
// body limit, what one delivery records (and that nothing is processed in the request), and,
// processed as the worker does, duplicate and concurrent deliveries and events out of order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { contribute, makeFundableCommunity, makePerson, sessionIdOf } from "@/server/funding/testing/fixtures";
import { postWebhook, sign, startFundingHarness, type FundingHarness } from "@/server/funding/testing/stripe-harness";
import { getFundingSummary } from "@/server/funding/get-funding-summary";
import { startContribution } from "@/server/funding/start-contribution";
import { SIGNATURE_TOLERANCE_SECONDS, WEBHOOK_BODY_LIMIT } from "@/server/billing/handle-webhook";
import { POST } from "./route";
import { drainStripeEvents } from "@/server/billing/stripe-event-worker";

let harness: FundingHarness;
beforeAll(async () => {
  harness = await startFundingHarness();
});
// Every test leaves its events processed: the next test file's worker must find nothing of ours.
afterEach(() => drainStripeEvents());
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

describe("webhook signatures and size", () => {
  it("refuses a missing, wrong, stale or tampered signature with 400 and records nothing", async () => {
    const { events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
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

  it("refuses a body over 64 KB, declared or not, before it is verified, and records nothing", async () => {
    const big = JSON.stringify({ id: "evt_too_big", type: "invoice.paid", padding: "x".repeat(WEBHOOK_BODY_LIMIT) });
    const before = await counts();
    const declared = await postWebhook(big, sign(big));
    expect(declared.status).toBe(413);
    // Sent as a stream of unknown length: counted while read, cut off at the limit.
    const chunks = [big.slice(0, 40_000), big.slice(40_000)];
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) return controller.close();
        sent += next.length;
        controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = await POST(
      new Request("http://hearth.test/api/stripe/webhook", {
        method: "POST",
        headers: { "stripe-signature": sign(big) },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(sent).toBeGreaterThan(WEBHOOK_BODY_LIMIT);
    expect(await counts()).toEqual(before);
    // A lying Content-Length is refused too (the reader counts what actually arrives).
    const small = JSON.stringify({ id: "evt_small", type: "ping" });
    const lying = await POST(
      new Request("http://hearth.test/api/stripe/webhook", { method: "POST", headers: { "stripe-signature": sign(small), "content-length": "999999" }, body: small }),
    );
    expect(lying.status).toBe(413);
  });
});

describe("what a delivery does", () => {
  it("records the event (type, object, payload, time) and queues it; nothing is processed in the request", async () => {
    const { contributionId, events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
    const response = await postWebhook(body, sign(body));
    expect(await response.json()).toEqual({ received: true, outcome: "queued" });
    const row = await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } });
    const subscriptionId = ((paid.data.object as { parent: { subscription_details: { subscription: string } } }).parent.subscription_details.subscription);
    expect(row).toMatchObject({ type: "invoice.paid", objectId: subscriptionId, processedAt: null, deadAt: null, attempts: 0 });
    expect(row.payload).toEqual(JSON.parse(body));
    expect(Date.now() - row.receivedAt.getTime()).toBeLessThan(60_000);
    // Not processed yet: no payment, the contribution still pending.
    expect(await db.ledgerEntry.count({ where: { contributionId } })).toBe(0);
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).status).toBe("PENDING");

    expect(await drainStripeEvents()).toBe(1);
    expect((await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).processedAt).not.toBeNull();
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
  });

  it("acknowledges events it does not act on, recorded as processed, once", async () => {
    const { events } = await undeliveredContribution();
    const ignored = events.find((e) => e.type === "payment_intent.succeeded")!;
    const body = payloadOf(ignored.id);
    const response = await postWebhook(body, sign(body));
    expect(await response.json()).toEqual({ received: true, outcome: "ignored" });
    const again = await postWebhook(body, sign(body));
    expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: ignored.id } })).toMatchObject({
      type: "payment_intent.succeeded",
      objectId: null,
      processedAt: expect.any(Date),
    });
  });
});

describe("deduplication, processed by the worker", () => {
  it("processes an event once when it is delivered twice, before and after processing", async () => {
    const { contributionId, events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
    const first = await postWebhook(body, sign(body));
    const second = await postWebhook(body, sign(body));
    expect(await first.json()).toEqual({ received: true, outcome: "queued" });
    expect(await second.json()).toEqual({ received: true, outcome: "duplicate" });
    await drainStripeEvents();
    const third = await postWebhook(body, sign(body));
    expect(await third.json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await drainStripeEvents()).toBe(0);
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    expect(await db.stripeEvent.count({ where: { id: paid.id } })).toBe(1);
  });

  it("queues an event once when ten deliveries arrive at the same time", async () => {
    const { community, contributionId, events } = await undeliveredContribution();
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const body = payloadOf(paid.id);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postWebhook(body, sign(body))));
    const outcomes = await Promise.all(responses.map(async (r) => [r.status, (await r.json()).outcome]));
    expect(outcomes.filter(([status]) => status === 200)).toHaveLength(10);
    expect(outcomes.filter(([, outcome]) => outcome === "queued")).toHaveLength(1);
    expect(outcomes.filter(([, outcome]) => outcome === "duplicate")).toHaveLength(9);
    expect(await drainStripeEvents()).toBe(1);
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    // The 1000-cent payment funded the 1000-cent plan exactly once (its first month is charged
    // when the server is up, which no provisioning here makes it).
    expect(await db.fundingTransition.count({ where: { communityId: community.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { communityId: community.id, kind: "HOSTING" } })).toBe(0);
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
    await drainStripeEvents();
    // The first event alone already converged everything, read back from Stripe.
    const contribution = await db.contribution.findUniqueOrThrow({ where: { id: contributionId } });
    expect(contribution).toMatchObject({ status: "ACTIVE", amount: 1200 });
    expect(contribution.stripeSubscriptionId).toMatch(/^sub_/);
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);

    for (const event of order.slice(1)) {
      const response = await postWebhook(payloadOf(event.id), sign(payloadOf(event.id)));
      expect(response.status).toBe(200);
    }
    await drainStripeEvents();
    // customer.subscription.created carried status "incomplete", but Stripe says active now.
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).status).toBe("ACTIVE");
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("FUNDED");
    const rows = await db.stripeEvent.findMany({ where: { id: { in: order.map((e) => e.id) } } });
    expect(rows.every((row) => row.processedAt !== null)).toBe(true);
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
