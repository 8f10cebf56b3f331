// The worker side of Stripe events, on the real database and the Stripe emulator: two
// workers on a burst of many objects' events (each object's in order, each event once), an
// event that keeps failing (backoff, dead letter, alert, "retry now" once the cause is
// fixed), and the reconciliation job repairing what undelivered events left out.
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { overrideStripeClient } from "@/server/billing/stripe";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { makeFundableCommunity, makePerson, sessionIdOf } from "@/server/funding/testing/fixtures";
import { postWebhook, sign, startFundingHarness, type FundingHarness } from "@/server/funding/testing/stripe-harness";
import { startContribution } from "@/server/funding/start-contribution";
import { makeUser } from "@/server/testing/fixtures";
import { countDeadStripeEvents, listStripeEventProblems } from "./list-stripe-events";
import { reconcileStripe } from "./reconcile-stripe";
import { retryStripeEvent } from "./retry-stripe-event";
import { findReadyObjects, QUIET_MS } from "./process-stripe-event";
import { drainStripeEvents, startStripeEventWorker } from "./stripe-event-worker";

let harness: FundingHarness;
beforeAll(async () => {
  harness = await startFundingHarness();
});
afterEach(async () => {
  overrideStripeClient(harness.stripe);
  await drainStripeEvents();
});
afterAll(() => harness.stop());

const payloadOf = (eventId: string) => JSON.stringify(harness.emulator.events().find((e) => e.id === eventId), null, 2);
const deliver = (eventId: string) => postWebhook(payloadOf(eventId), sign(payloadOf(eventId)));

/** Contributions paid at Checkout with webhooks off: their events are stored at the emulator, undelivered. */
async function paidWithoutWebhooks(count: number, amount = "10") {
  harness.deliverWebhooks(false);
  try {
    const before = new Set(harness.emulator.events().map((e) => e.id));
    const made = [];
    for (let i = 0; i < count; i++) {
      const community = await makeFundableCommunity({ monthlyCost: 1000 });
      const { url, contributionId } = await startContribution(await makePerson(`Payer ${i}`), { community: community.slug, amount, visibility: "anonymous" });
      await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
      made.push({ community, contributionId });
    }
    return { made, events: harness.emulator.events().filter((e) => !before.has(e.id)) };
  } finally {
    harness.deliverWebhooks(true);
  }
}

describe("two workers on a burst", () => {
  // Six checkouts, forty-odd deliveries and the wait below (up to a minute) take longer than the
  // default 30 s when the machine is busy.
  it("process many objects at once, each object's events once and in order of arrival", { timeout: 120_000 }, async () => {
    const { made, events } = await paidWithoutWebhooks(6);
    // A repeatable shuffle of every event, with a quarter delivered twice.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const deliveries = [...events, ...events.filter(() => random() < 0.25)].sort(() => random() - 0.5);
    for (const event of deliveries) expect((await deliver(event.id)).status).toBe(200);
    const ids = events.map((e) => e.id);

    const workers = [startStripeEventWorker({ concurrency: 4 }), startStripeEventWorker({ concurrency: 4 })];
    try {
      await expect
        .poll(() => db.stripeEvent.count({ where: { id: { in: ids }, processedAt: null } }), { timeout: 60_000, interval: 200 })
        .toBe(0);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }

    const rows = await db.stripeEvent.findMany({ where: { id: { in: ids } }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }] });
    expect(rows).toHaveLength(events.length);
    // Each event once: one attempt, no error, none given up on.
    expect(rows.filter((r) => r.objectId && (r.attempts !== 1 || r.lastError !== null || r.deadAt !== null))).toEqual([]);
    expect(rows.filter((r) => !r.processedAt)).toEqual([]);
    // Per object, processed in the order received.
    const byObject = new Map<string, typeof rows>();
    for (const row of rows.filter((r) => r.objectId)) byObject.set(row.objectId!, [...(byObject.get(row.objectId!) ?? []), row]);
    expect(byObject.size).toBeGreaterThanOrEqual(12); // a subscription and a checkout session each
    for (const list of byObject.values()) {
      const processed = list.map((r) => r.processedAt!.getTime());
      expect(processed).toEqual([...processed].sort((a, b) => a - b));
    }
    for (const { community, contributionId } of made) {
      expect(await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).toMatchObject({ status: "ACTIVE" });
      expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
      expect(await db.fundingTransition.count({ where: { communityId: community.id } })).toBe(1);
      // Funded once; its first month is charged when its server is up, not by the payment.
      expect(await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).toMatchObject({ state: "FUNDED" });
    }
  });
});

describe("events waiting in a row about the same object", () => {
  it("are processed in one transaction, each target converged once", async () => {
    const { events } = await paidWithoutWebhooks(1);
    const plain = events.filter((e) => e.type.startsWith("customer.subscription."));
    const invoices = events.filter((e) => e.type === "invoice.paid");
    expect(plain.length).toBeGreaterThanOrEqual(2);
    expect(invoices).toHaveLength(1);
    // The subscription's own events arrive one after another, then its invoice's.
    for (const event of [...plain, ...invoices]) await deliver(event.id);
    expect(await drainStripeEvents()).toBe(plain.length + 1);
    const rows = await db.stripeEvent.findMany({ where: { id: { in: [...plain, ...invoices].map((e) => e.id) } } });
    for (const row of rows) expect(row).toMatchObject({ attempts: 1, lastError: null });
    // One transaction: one processed time for all of them.
    expect(new Set(rows.map((r) => r.processedAt!.getTime())).size).toBe(1);
  });

  it("when one target of the batch fails, the targets before it commit and the failure is the failing event's", async () => {
    const { made, events } = await paidWithoutWebhooks(1);
    const [{ contributionId }] = made as [(typeof made)[number]];
    const plain = events.filter((e) => e.type.startsWith("customer.subscription."));
    const paid = events.find((e) => e.type === "invoice.paid")!;
    // An invoice.paid about an invoice Stripe does not have: converging it fails.
    const broken = JSON.parse(payloadOf(paid.id)) as { id: string; data: { object: { id: string } } };
    broken.id = `${paid.id}_broken`;
    broken.data.object.id = "in_does_not_exist";
    const brokenPayload = JSON.stringify(broken, null, 2);
    for (const event of plain) await deliver(event.id);
    expect((await postWebhook(brokenPayload, sign(brokenPayload))).status).toBe(200);
    await deliver(paid.id); // the real one, after it: waits behind the failing event

    expect(await drainStripeEvents()).toBe(plain.length);
    const rows = await db.stripeEvent.findMany({ where: { id: { in: plain.map((e) => e.id) } } });
    for (const row of rows) expect(row).toMatchObject({ attempts: 1, lastError: null });
    expect(rows.every((r) => r.processedAt !== null)).toBe(true);
    // Converging the subscription read its latest (paid) invoice too: its payment is in.
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    const failed = await db.stripeEvent.findUniqueOrThrow({ where: { id: broken.id } });
    expect(failed).toMatchObject({ attempts: 1, processedAt: null, deadAt: null });
    expect(failed.lastError).toMatch(/in_does_not_exist/);
    expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ attempts: 0, processedAt: null, lastError: null });
    // Given up on at last (far later), the real invoice's event is processed after it.
    await db.stripeEvent.update({ where: { id: broken.id }, data: { deadAt: new Date() } });
    expect(await drainStripeEvents()).toBe(1);
  });
});

describe("gathering", () => {
  it("an object is taken once its events stop arriving for a moment, or its oldest has waited long enough; callers that drain take it at once", async () => {
    const start = new Date();
    const at = (ms: number) => new Date(start.getTime() + ms);
    const event = (id: string, objectId: string, receivedAt: Date) => ({ id: `evt_gather_${id}`, type: "customer.subscription.updated", objectId, receivedAt, nextAttemptAt: receivedAt });
    try {
      await db.stripeEvent.createMany({
        data: [
          // One subscription's events in quick succession, the last just now.
          event("a1", "sub_gather_a", at(0)),
          event("a2", "sub_gather_a", at(300)),
          // Another's, arriving every 400 ms for three seconds: never quiet.
          ...Array.from({ length: 8 }, (_, i) => event(`b${i}`, "sub_gather_b", at(i * 400))),
        ],
      });
      const mine = (ready: string[]) => ready.filter((id) => id.startsWith("sub_gather_"));
      // Just after the last arrivals: both held back, and the worker told to look again.
      const early = await findReadyObjects(at(2_900), 50);
      expect(mine(early.ready)).toEqual(["sub_gather_a"]); // quiet since 300 ms
      expect(early.gathering).toBe(true);
      expect(mine((await findReadyObjects(at(300 + QUIET_MS - 1), 50)).ready)).toEqual([]);
      // The one never quiet is taken once its oldest event has waited three seconds.
      expect(mine((await findReadyObjects(at(3_000), 50)).ready)).toEqual(["sub_gather_a", "sub_gather_b"]);
      // Callers that must see everything processed now do not wait.
      expect(mine((await findReadyObjects(at(300), 50, [], { gather: false })).ready)).toEqual(["sub_gather_a", "sub_gather_b"]);
    } finally {
      await db.stripeEvent.deleteMany({ where: { id: { startsWith: "evt_gather_" } } });
    }
  });
});

describe("an event that keeps failing", () => {
  it("is retried with backoff, dead-lettered after five attempts with an alert, and processed by retry now once fixed", async () => {
    const hostAdmin = await makeUser({ isHostAdmin: true });
    const admin = hostAdmin;
    const { made, events } = await paidWithoutWebhooks(1);
    const [{ contributionId }] = made as [(typeof made)[number]];
    const paid = events.find((e) => e.type === "invoice.paid")!;
    const updated = events.find((e) => e.type === "customer.subscription.updated")!;
    await deliver(paid.id);
    await deliver(updated.id); // the same subscription, arrived later: waits behind the failing one

    // The cause: Stripe cannot be reached.
    overrideStripeClient(new Stripe("sk_test_unreachable", { host: "127.0.0.1", port: 9, protocol: "http", maxNetworkRetries: 0 }));
    let now = Date.now();
    const attemptsSoFar = async () => (await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).attempts;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await drainStripeEvents({ now: new Date(now) });
      expect(await attemptsSoFar()).toBe(attempt);
      const row = await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } });
      if (attempt < 5) {
        // Backoff: not due again at the same moment, each wait four times the one before.
        expect(row.nextAttemptAt.getTime() - now).toBe(30_000 * 4 ** (attempt - 1));
        await drainStripeEvents({ now: new Date(now) });
        expect(await attemptsSoFar()).toBe(attempt);
        // The later event of the same subscription waits behind it.
        expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: updated.id } })).toMatchObject({ attempts: 0, processedAt: null });
        now = row.nextAttemptAt.getTime();
      }
    }
    const dead = await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } });
    expect(dead).toMatchObject({ attempts: 5, processedAt: null });
    expect(dead.deadAt).not.toBeNull();
    expect(dead.lastError).toMatch(/connect|ECONNREFUSED|Stripe/i);
    // The alert: an email to every host admin, and the admin area's count and list.
    expect(await db.emailOutbox.count({ where: { toUserId: admin.id, kind: "admin.stripe_event_dead", body: { contains: paid.id } } })).toBe(1);
    expect(await countDeadStripeEvents(hostAdmin)).toBeGreaterThanOrEqual(1);
    expect((await listStripeEventProblems(hostAdmin)).dead.map((e) => e.id)).toContain(paid.id);
    // Given up on: no more attempts, and the subscription's later event is no longer held back.
    overrideStripeClient(harness.stripe); // the cause is fixed
    await drainStripeEvents({ now: new Date(now + 365 * 86_400_000) });
    expect(await attemptsSoFar()).toBe(5);
    expect((await db.stripeEvent.findUniqueOrThrow({ where: { id: updated.id } })).processedAt).not.toBeNull();
    // Converging the subscription read its latest (paid) invoice too.
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);

    // Retry now: host admins only, audited.
    const member = await makePerson();
    await expect(retryStripeEvent({ actor: { ...member, isHostAdmin: false } }, { eventId: paid.id })).rejects.toThrow(AppError);
    await retryStripeEvent({ actor: hostAdmin }, { eventId: paid.id });
    expect(await db.auditEvent.count({ where: { actorId: admin.id, action: "stripe.event.retry" } })).toBe(1);
    expect(await drainStripeEvents()).toBe(1);
    expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ attempts: 1, deadAt: null, lastError: null });
    expect((await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).processedAt).not.toBeNull();
    // Still one payment: the invoice was already in the ledger.
    expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
    // Processed events cannot be retried again.
    await expect(retryStripeEvent({ actor: hostAdmin }, { eventId: paid.id })).rejects.toThrow(/not waiting/);
  });
});

describe("reconciliation with Stripe", () => {
  it("repairs payments, links and refunds that no event brought, audited, and then finds nothing", async () => {
    await reconcileStripe(); // whatever earlier tests left is not this test's business
    const { made } = await paidWithoutWebhooks(2, "12");
    harness.deliverWebhooks(false);
    const [first] = made as [(typeof made)[number]];
    try {
      const result = await reconcileStripe();
      const contributions = await db.contribution.findMany({ where: { id: { in: made.map((m) => m.contributionId) } } });
      expect(contributions.map((c) => c.status)).toEqual(["ACTIVE", "ACTIVE"]);
      for (const { community, contributionId } of made) {
        expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
        expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("FUNDED");
        expect(await db.auditEvent.count({ where: { communityId: community.id, action: "stripe.reconcile.repair" } })).toBeGreaterThanOrEqual(1);
      }
      expect(result.repaired.filter((r) => r.kind === "subscription")).toHaveLength(2);

      // A refund made while no event arrives.
      const contribution = contributions.find((c) => c.id === first.contributionId)!;
      const payment = await db.ledgerEntry.findFirstOrThrow({ where: { contributionId: contribution.id, kind: "PAYMENT" } });
      await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId!, amount: 500 });
      const second = await reconcileStripe();
      expect(second.repaired).toEqual([expect.objectContaining({ kind: "refund", ledgerChanged: true })]);
      expect(await db.ledgerEntry.findFirst({ where: { contributionId: contribution.id, kind: "REFUND" } })).toMatchObject({ amount: -500 });

      expect((await reconcileStripe()).repaired).toEqual([]);
    } finally {
      harness.deliverWebhooks(true);
    }
  });
});
