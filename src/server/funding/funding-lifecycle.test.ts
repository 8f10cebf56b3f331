// A community's money over months, against the real database and a real Stripe emulator:
// contributions through Checkout, renewals paid and failed (advanced in the emulator), the
// hosting months and grace period played out on the funding clock, refunds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { setFundingClockOffset } from "./clock";
import { getFundingSummary } from "./get-funding-summary";
import { replaceInstanceDriverForTests } from "./instance-hooks";
import { addDays, addMonths } from "./months";
import { runFundingClock } from "./run-funding-clock";
import { contribute, makeFundableCommunity, makePerson, serverUp } from "./testing/fixtures";
import { startFundingHarness, type FundingHarness } from "./testing/stripe-harness";

let harness: FundingHarness;
const requests: { communityId: string; state: string }[] = [];
let restoreDriver: () => void;

beforeAll(async () => {
  harness = await startFundingHarness();
  restoreDriver = replaceInstanceDriverForTests(async (communityId, state) => {
    requests.push({ communityId, state });
  });
});
afterAll(async () => {
  restoreDriver();
  await harness.stop();
});
afterEach(() => setFundingClockOffset(0));

const funding = (communityId: string) => db.communityFunding.findUniqueOrThrow({ where: { communityId } });
const ledger = (communityId: string) => db.ledgerEntry.findMany({ where: { communityId }, orderBy: { createdAt: "asc" } });
const requestsFor = (communityId: string) => requests.filter((r) => r.communityId === communityId).map((r) => r.state);

/** Moves the funding clock to `at` and runs the worker's job there. */
async function clockAt(at: Date) {
  setFundingClockOffset(at.getTime() - Date.now());
  return runFundingClock(at);
}

describe("funding lifecycle", () => {
  it("stays awaiting funding until a month is covered, then asks for the instance to run", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 1500 });
    const first = await contribute(harness, await makePerson("Ada"), community, { amount: "10" });
    expect(first.contribution.status).toBe("ACTIVE");
    expect((await funding(community.id)).state).toBe("AWAITING_FUNDING");
    expect(requestsFor(community.id)).toEqual([]);

    await contribute(harness, await makePerson("Grace"), community, { amount: "5" });
    const funded = await funding(community.id);
    expect(funded.state).toBe("FUNDED");
    // Nothing is charged while the server is being set up: the runway starts when it is up.
    expect(funded).toMatchObject({ monthsCharged: 0, anchorAt: null });
    expect((await ledger(community.id)).filter((e) => e.kind === "HOSTING")).toEqual([]);
    expect((await getFundingSummary(community.id))!).toMatchObject({ startsWhenUp: true, balance: 1500 });
    expect(requestsFor(community.id)).toEqual(["running"]);

    // Up, before the funding clock's next tick charges the first month: the page already says
    // it is live and covered from now, not "being set up".
    await db.community.update({ where: { id: community.id }, data: { status: "LIVE" } });
    const upFirst = (await getFundingSummary(community.id))!;
    expect(upFirst).toMatchObject({ startsWhenUp: false, publicState: { label: "Live" } });
    expect(upFirst.publicState.sentence).toMatch(/^Funded: the server's hosting is paid until /);
    expect(Math.abs(upFirst.coveredUntil!.getTime() - addMonths(new Date(), 1).getTime())).toBeLessThan(60_000);

    await serverUp(community.id);
    const after = await funding(community.id);
    expect(after.monthsCharged).toBe(1);
    expect((await getFundingSummary(community.id))!.coveredUntil).toEqual(addMonths(after.anchorAt!, 1));
    const entries = await ledger(community.id);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ["PAYMENT", 1000],
      ["PAYMENT", 500],
      ["HOSTING", -1500],
    ]);
    const transitions = await db.fundingTransition.findMany({ where: { communityId: community.id } });
    expect(transitions.map((t) => [t.fromState, t.toState, t.instanceRequestDoneAt !== null])).toEqual([["AWAITING_FUNDING", "FUNDED", true]]);
    // The organiser and both contributors are told.
    const mail = await db.emailOutbox.findMany({ where: { communityId: community.id, kind: "funding.funded" } });
    expect(mail).toHaveLength(3);

    const summary = (await getFundingSummary(community.id))!;
    expect(summary).toMatchObject({ state: "FUNDED", pledged: 1500, monthlyCost: 1500, balance: 0, paidThisPeriod: 1500 });
    expect(summary.supporters.named.map((s) => s.name).sort()).toEqual(["Ada", "Grace"]);
    expect(summary.runwayMonths).toBeGreaterThan(0.9);
  });

  it("a paid renewal keeps it funded; a failed one leads to grace, then suspension, then funded again", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 1000 });
    const person = await makePerson("Lin");
    const { contribution } = await contribute(harness, person, community, { amount: "10" });
    await serverUp(community.id);
    const start = await funding(community.id);
    expect(start.state).toBe("FUNDED");

    // Month 2: the renewal is paid before the month is due.
    await harness.control(`/subscriptions/${contribution.stripeSubscriptionId}/advance`, { outcome: "paid" });
    await harness.settle();
    await clockAt(addMonths(start.anchorAt!, 1));
    expect(await funding(community.id)).toMatchObject({ state: "FUNDED", monthsCharged: 2 });

    // Month 3: the renewal fails, the month comes due with nothing to pay it: grace.
    await harness.control(`/subscriptions/${contribution.stripeSubscriptionId}/advance`, { outcome: "failed" });
    await harness.settle();
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contribution.id } })).status).toBe("PAST_DUE");
    expect(await db.emailOutbox.count({ where: { toUserId: person.id, kind: "contribution.payment_failed" } })).toBe(1);
    const due = addMonths(start.anchorAt!, 2);
    await clockAt(due);
    const grace = await funding(community.id);
    expect(grace.state).toBe("GRACE");
    expect(grace.graceEndsAt!.getTime()).toBe(addDays(due, 14).getTime());
    expect(requestsFor(community.id)).toEqual(["running"]);

    // A day before the grace ends nothing happens; at its end the instance is stopped.
    await clockAt(addDays(due, 13));
    expect((await funding(community.id)).state).toBe("GRACE");
    await clockAt(addDays(due, 14));
    expect((await funding(community.id)).state).toBe("SUSPENDED");
    expect(requestsFor(community.id)).toEqual(["running", "stopped"]);
    expect(await db.community.count({ where: { id: community.id } })).toBe(1); // never deleted

    // The open invoice is finally paid: a month is covered again, the instance resumes.
    const invoice = await harness.stripe.invoices.list({ subscription: contribution.stripeSubscriptionId!, status: "open" });
    await harness.control(`/invoices/${invoice.data[0]!.id}/pay`, { outcome: "paid" });
    await harness.settle();
    expect((await funding(community.id)).state).toBe("FUNDED");
    expect(requestsFor(community.id)).toEqual(["running", "stopped", "running"]);
    const states = await db.fundingTransition.findMany({ where: { communityId: community.id }, orderBy: { seq: "asc" } });
    expect(states.map((t) => t.toState)).toEqual(["FUNDED", "GRACE", "SUSPENDED", "FUNDED"]);
    const told = await db.emailOutbox.findMany({ where: { communityId: community.id, toUserId: person.id }, orderBy: { createdAt: "asc" } });
    expect(told.map((m) => m.kind)).toEqual(["funding.funded", "contribution.payment_failed", "funding.grace", "funding.suspended", "funding.funded"]);
  });

  it("a payment that arrives during grace pays the overdue month and ends the grace", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 1000 });
    const { contribution } = await contribute(harness, await makePerson(), community, { amount: "10" });
    await serverUp(community.id);
    const start = await funding(community.id);
    await harness.control(`/subscriptions/${contribution.stripeSubscriptionId}/advance`, { outcome: "failed" });
    await harness.settle();
    await clockAt(addMonths(start.anchorAt!, 1));
    expect((await funding(community.id)).state).toBe("GRACE");

    await contribute(harness, await makePerson(), community, { amount: "12" });
    const after = await funding(community.id);
    expect(after).toMatchObject({ state: "FUNDED", monthsCharged: 2, graceEndsAt: null });
    // The recovered month is the overdue one, starting when grace did, not a new run.
    expect(after.anchorAt).toEqual(start.anchorAt);
    expect(requestsFor(community.id)).toEqual(["running", "running"]);
  });

  it("a refund reverses its payment once, however often it is reported", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 2000 });
    const { contribution } = await contribute(harness, await makePerson(), community, { amount: "8" });
    const payment = await db.ledgerEntry.findFirstOrThrow({ where: { contributionId: contribution.id, kind: "PAYMENT" } });
    expect(payment.stripePaymentIntentId).toMatch(/^pi_/);

    await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId!, amount: 300 });
    await harness.settle();
    const refunded = await harness.stripe.refunds.create({ payment_intent: payment.stripePaymentIntentId! });
    await harness.settle();
    const charged = await db.ledgerEntry.findMany({ where: { contributionId: contribution.id, kind: "REFUND" }, orderBy: { amount: "asc" } });
    expect(charged.map((e) => e.amount)).toEqual([-500, -300]);
    expect(charged.map((e) => e.stripeRefundId)).toContain(refunded.id);

    // Stripe delivers the last charge.refunded again: nothing more is recorded.
    const event = harness.emulator.events().filter((e) => e.type === "charge.refunded").at(-1)!;
    harness.emulator.resend(event.id);
    await harness.settle();
    expect(await db.ledgerEntry.count({ where: { contributionId: contribution.id, kind: "REFUND" } })).toBe(2);
    expect((await getFundingSummary(community.id))!.balance).toBe(0);
  });
});
