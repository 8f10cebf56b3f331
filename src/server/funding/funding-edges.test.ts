// Funding's less travelled paths: a refund reported before its payment, instance requests
// that fail or must not be made, the host fee and runway figures, the portal and receipts
// of one person only, and deleting a community that money has moved for.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPortalSession } from "@/server/billing/create-portal-session";
import { drainStripeEvents } from "@/server/billing/stripe-event-worker";
import { deleteCommunity } from "@/server/communities/delete-community";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import { postWebhook, sign, startFundingHarness, type FundingHarness } from "./testing/stripe-harness";
import { contribute, makeFundableCommunity, makePerson, serverUp, sessionIdOf } from "./testing/fixtures";
import { setFundingClockOffset } from "./clock";
import { changeContributionAmount } from "./change-contribution-amount";
import { confirmCheckout } from "./confirm-checkout";
import { getFundingSummary } from "./get-funding-summary";
import { replaceInstanceDriverForTests } from "./instance-hooks";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { listMyContributions } from "./list-my-contributions";
import { addMonths } from "./months";
import { runFundingClock } from "./run-funding-clock";
import { forgetFundingSettings } from "./settings";
import { startContribution } from "./start-contribution";

let harness: FundingHarness;
beforeAll(async () => {
  harness = await startFundingHarness();
});
afterAll(() => harness.stop());
afterEach(async () => {
  setFundingClockOffset(0);
  await db.setting.deleteMany({ where: { key: { startsWith: "funding." } } });
  forgetFundingSettings();
});

describe("out of order and failing", () => {
  it("a refund reported before its payment records the payment first, then reverses it", async () => {
    harness.deliverWebhooks(false);
    const community = await makeFundableCommunity({ monthlyCost: 5000 });
    const person = await makePerson();
    const { url, contributionId } = await startContribution(person, { community: community.slug, amount: "9", visibility: "anonymous" });
    await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
    const contribution = await db.contribution.findUniqueOrThrow({ where: { id: contributionId } });
    const invoice = (await harness.stripe.invoices.list({ customer: contribution.stripeCustomerId, expand: ["data.payments"] })).data[0]!;
    const intent = invoice.payments!.data[0]!.payment.payment_intent as string;
    await harness.stripe.refunds.create({ payment_intent: intent, amount: 400 });
    harness.deliverWebhooks(true);

    const refunded = harness.emulator.events().find((e) => e.type === "charge.refunded" && JSON.stringify(e).includes(intent))!;
    const body = JSON.stringify(refunded, null, 2);
    expect((await postWebhook(body, sign(body))).status).toBe(200);
    await drainStripeEvents(); // as the worker does
    const entries = await db.ledgerEntry.findMany({ where: { communityId: community.id }, orderBy: { amount: "desc" } });
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ["PAYMENT", 900],
      ["REFUND", -400],
    ]);
  });

  it("an instance request that fails stays pending and the worker's clock delivers it later", async () => {
    let fail = true;
    const seen: string[] = [];
    const restore = replaceInstanceDriverForTests(async (communityId, state) => {
      if (fail) throw new Error("provisioning is down");
      seen.push(`${communityId}:${state}`);
    });
    try {
      const community = await makeFundableCommunity({ monthlyCost: 1000 });
      await contribute(harness, await makePerson(), community, { amount: "10" });
      const pending = await db.fundingTransition.findFirstOrThrow({ where: { communityId: community.id } });
      expect(pending).toMatchObject({ toState: "FUNDED", instanceRequest: "running", instanceRequestDoneAt: null });
      fail = false;
      await runFundingClock();
      expect(seen).toContain(`${community.id}:running`);
      expect((await db.fundingTransition.findUniqueOrThrow({ where: { id: pending.id } })).instanceRequestDoneAt).not.toBeNull();
    } finally {
      restore();
    }
  });

  it("never asks to start the instance of a community a host admin suspended", async () => {
    const seen: string[] = [];
    const restore = replaceInstanceDriverForTests(async (communityId, state) => void seen.push(`${communityId}:${state}`));
    try {
      const community = await makeFundableCommunity({ monthlyCost: 1000 });
      const person = await makePerson();
      const { url } = await startContribution(person, { community: community.slug, amount: "10", visibility: "anonymous" });
      // Suspended by the admin after the checkout opened, before it was paid.
      await db.community.update({ where: { id: community.id }, data: { adminSuspendedAt: new Date() } });
      await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
      await harness.settle();
      expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("FUNDED");
      expect(seen.filter((s) => s.startsWith(community.id))).toEqual([]);
      expect((await getFundingSummary(community.id))!.acceptsContributions).toBe(false);
    } finally {
      restore();
    }
  });
});

describe("figures", () => {
  it("adds the host fee from the settings to the cost, and counts runway in months covered", async () => {
    await db.setting.create({ data: { key: "funding.hostFeeCents", value: 500 } });
    forgetFundingSettings();
    const community = await makeFundableCommunity({ monthlyCost: 1500 });
    await contribute(harness, await makePerson("Ana"), community, { amount: "30" });
    await contribute(harness, await makePerson("Ben"), community, { amount: "10", visibility: "anonymous" });
    await serverUp(community.id);
    const summary = (await getFundingSummary(community.id))!;
    // 4000 paid; 2000 a month (1500 + 500 fee); the first month charged, 2000 left: two months covered.
    expect(summary).toMatchObject({ monthlyCost: 2000, planCost: 1500, hostFee: 500, pledged: 4000, paidThisPeriod: 4000, balance: 2000 });
    const funding = await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } });
    expect(summary.coveredUntil).toEqual(addMonths(funding.anchorAt!, 2));
    expect(summary.runwayMonths).toBeGreaterThan(1.9);
    expect(summary.runwayMonths).toBeLessThanOrEqual(2.1);
    expect(summary.supporters).toMatchObject({ total: 2, anonymous: 1, named: [{ name: "Ana" }] });

    // A month later, with no renewal yet: the second month is charged from the balance.
    setFundingClockOffset(addMonths(funding.anchorAt!, 1).getTime() - Date.now());
    await runFundingClock();
    const later = (await getFundingSummary(community.id))!;
    expect(later).toMatchObject({ state: "FUNDED", balance: 0 });
    expect(later.runwayMonths).toBeGreaterThan(0.9);
  });
});

describe("one person's own", () => {
  it("portal, contributions, receipts and checkout confirmation are the person's own only", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 9900 });
    const owner = await makePerson();
    const stranger = await makePerson();
    const { sessionId } = await contribute(harness, owner, community, { amount: "6" });

    const portal = await createPortalSession(owner.id);
    expect(portal).toMatch(/\/portal\/bps_/);
    await expect(createPortalSession(stranger.id)).rejects.toThrow(AppError);

    const mine = await listMyContributions(owner.id);
    expect(mine.contributions).toHaveLength(1);
    expect(mine.receipts).toEqual([expect.objectContaining({ kind: "PAYMENT", amount: 600, receiptUrl: expect.stringContaining("/invoices/") })]);
    expect(await listMyContributions(stranger.id)).toEqual({ contributions: [], receipts: [] });

    expect(await confirmCheckout(stranger.id, sessionId)).toBeNull();
    expect(await confirmCheckout(owner.id, sessionId)).toMatchObject({ status: "ACTIVE", amount: 600 });
    expect(await db.ledgerEntry.count({ where: { communityId: community.id, kind: "PAYMENT" } })).toBe(1);
  });
});

describe("a contribution whose Stripe events are not processed yet", () => {
  it("is confirming a payment while a payment's event waits, and applying a change while only others wait", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 9900 });
    const person = await makePerson();
    await contribute(harness, person, community, { amount: "7" });
    const { stripeSubscriptionId } = await db.contribution.findFirstOrThrow({ where: { userId: person.id } });
    const confirming = async () => (await listMyContributions(person.id)).contributions.map((c) => c.confirming);
    expect(await confirming()).toEqual([null]);

    const id = `evt_test_${Math.random().toString(36).slice(2)}`;
    await db.stripeEvent.create({ data: { id: `${id}_deleted`, type: "customer.subscription.deleted", objectId: stripeSubscriptionId } });
    expect(await confirming()).toEqual(["change"]);
    await db.stripeEvent.create({ data: { id: `${id}_paid`, type: "invoice.paid", objectId: stripeSubscriptionId } });
    expect(await confirming()).toEqual(["payment"]);
    // Processed, or given up on (dead-lettered: the admins' page shows it), it no longer counts.
    await db.stripeEvent.update({ where: { id: `${id}_paid` }, data: { deadAt: new Date() } });
    await db.stripeEvent.update({ where: { id: `${id}_deleted` }, data: { processedAt: new Date() } });
    expect(await confirming()).toEqual([null]);
  });
});

describe("deleting a community", () => {
  it("removes one that leaves nothing behind; one with an open checkout is closed and the checkout expired", async () => {
    const organiser = await makeUser();
    const empty = await makeCommunity(organiser);
    await expect(deleteCommunity(organiser, { community: empty.slug, confirm: "wrong", exportFirst: true })).rejects.toMatchObject({
      code: "UNPROCESSABLE",
      fields: { confirm: expect.stringContaining(empty.slug) },
    });
    expect(await deleteCommunity(organiser, { community: empty.slug, confirm: empty.slug, exportFirst: true })).toMatchObject({ mode: "removed" });
    expect(await db.community.count({ where: { id: empty.id } })).toBe(0);

    // A checkout opened before the deletion could be paid after it: the community stays (hidden)
    // so that money finds it, and the checkout is closed in Stripe.
    const unpaid = await makeCommunity(organiser);
    const { url, contributionId } = await startContribution(await makePerson(), { community: unpaid.slug, amount: "5", visibility: "anonymous" });
    expect(await deleteCommunity(organiser, { community: unpaid.slug, confirm: unpaid.slug, exportFirst: false })).toMatchObject({ mode: "closed" });
    expect((await db.community.findUniqueOrThrow({ where: { id: unpaid.id } })).deletedAt).not.toBeNull();
    expect((await harness.stripe.checkout.sessions.retrieve(sessionIdOf(url))).status).toBe("expired");
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).status).toBe("INCOMPLETE_EXPIRED");
    await expect(harness.control(`/checkout/${sessionIdOf(url)}/pay`)).rejects.toThrow(/expired|402|400/);
  });
});

describe("changing the amount", () => {
  it("updates the subscription's price from the next invoice, only for the person's own contribution", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 9000 });
    const owner = await makePerson();
    const { contribution } = await contribute(harness, owner, community, { amount: "5" });

    const refusedAmount = changeContributionAmount(owner.id, { contribution: contribution.id, amount: "1e9" });
    await expect(refusedAmount).rejects.toMatchObject({ code: "UNPROCESSABLE", fields: { amount: expect.stringContaining("largest") } });
    const stranger = changeContributionAmount((await makePerson()).id, { contribution: contribution.id, amount: "8" });
    await expect(stranger).rejects.toMatchObject({ code: "NOT_FOUND" });

    await changeContributionAmount(owner.id, { contribution: contribution.id, amount: "8" });
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contribution.id } })).amount).toBe(800);
    expect((await getFundingSummary(community.id))!.pledged).toBe(800);
    const renewed = await harness.control(`/subscriptions/${contribution.stripeSubscriptionId}/advance`);
    expect((renewed.invoice as { amount_paid: number }).amount_paid).toBe(800);
  });
});

describe("provisioning", () => {
  it("funding asks provisioning for a running instance, and suspension for a stopped one", async () => {
    const restore = replaceInstanceDriverForTests(setDesiredState);
    try {
      const community = await makeFundableCommunity({ monthlyCost: 1000 });
      const { contribution } = await contribute(harness, await makePerson(), community, { amount: "10" });
      expect(await db.instance.findUniqueOrThrow({ where: { communityId: community.id } })).toMatchObject({ desiredState: "RUNNING" });
      await serverUp(community.id);

      const funding = await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } });
      await harness.control(`/subscriptions/${contribution.stripeSubscriptionId}/advance`, { outcome: "failed" });
      await harness.settle();
      const due = addMonths(funding.anchorAt!, 1);
      await runFundingClock(due);
      await runFundingClock(new Date(due.getTime() + 15 * 24 * 3600_000));
      expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("SUSPENDED");
      const instance = await db.instance.findUniqueOrThrow({ where: { communityId: community.id } });
      expect(instance.desiredState).toBe("STOPPED"); // stopped, never deleted
    } finally {
      restore();
    }
  });
});
