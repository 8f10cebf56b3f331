// Money follows the server, and deleted means deleted (issue 11 problem 1, issue 12 point 4),
// against the real database, the real provisioning API (setDesiredState, without a worker)
// and a real Stripe emulator: deleting a community ends every contribution in Stripe at once,
// and no checkout, webhook, success page, worker job or action in any order can fund,
// provision or un-delete it afterwards.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resumeTenant } from "@/server/admin/tenants/resume-tenant";
import { suspendTenant } from "@/server/admin/tenants/suspend-tenant";
import { getTenant } from "@/server/admin/tenants/get-tenant";
import { db } from "@/server/db/client";
import { requestExport } from "@/server/exports/request-export";
import { setFundingClockOffset } from "@/server/funding/clock";
import { confirmCheckout } from "@/server/funding/confirm-checkout";
import { getFundingSummary } from "@/server/funding/get-funding-summary";
import { deliverInstanceRequests, replaceInstanceDriverForTests } from "@/server/funding/instance-hooks";
import { runFundingClock } from "@/server/funding/run-funding-clock";
import { startContribution } from "@/server/funding/start-contribution";
import { contribute, makeFundableCommunity, makePerson, serverUp, sessionIdOf } from "@/server/funding/testing/fixtures";
import { startFundingHarness, type FundingHarness } from "@/server/funding/testing/stripe-harness";
import { getInstanceTimeline } from "@/server/provisioning/get-instance-timeline";
import { retryInstanceAs } from "@/server/provisioning/instance-requests";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { makeUser } from "@/server/testing/fixtures";
import { closeCommunity } from "./close-community";
import { deleteCommunity } from "./delete-community";
import { getDashboardCommunity } from "./get-dashboard-community";

let harness: FundingHarness;
let restoreDriver: () => void;
const requests: { communityId: string; state: string }[] = [];

beforeAll(async () => {
  harness = await startFundingHarness();
  // The real provisioning API, watched: every request funding makes is recorded.
  restoreDriver = replaceInstanceDriverForTests(async (communityId, state) => {
    requests.push({ communityId, state });
    return setDesiredState(communityId, state);
  });
});
afterAll(async () => {
  restoreDriver();
  await harness.stop();
});
afterEach(() => setFundingClockOffset(0));

const funding = (communityId: string) => db.communityFunding.findUniqueOrThrow({ where: { communityId } });
const instance = (communityId: string) => db.instance.findUnique({ where: { communityId } });
const entries = (communityId: string, kind: "PAYMENT" | "REFUND" | "HOSTING") =>
  db.ledgerEntry.findMany({ where: { communityId, kind }, orderBy: { amount: "asc" } }).then((rows) => rows.map((r) => r.amount));
const subscription = (id: string) => harness.stripe.subscriptions.retrieve(id);
const invoicesOf = async (subscriptionId: string) => (await harness.stripe.invoices.list({ subscription: subscriptionId, limit: 100 })).data.length;

/** A community with an owner membership (for deleteCommunity) that members fund. */
async function fundable(monthlyCost: number) {
  const owner = await makeUser();
  const community = await makeFundableCommunity({ monthlyCost, ownerId: owner.id });
  await db.membership.create({ data: { communityId: community.id, userId: owner.id, role: "OWNER" } });
  return { owner, community };
}

/** Deletion as it commits, without what follows the commit: Stripe has not heard of it yet. */
async function closeWithoutSettling(communityId: string) {
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Community" WHERE id = ${communityId} FOR NO KEY UPDATE`;
    await closeCommunity(tx, communityId, { exportFirst: false });
  });
}

/** Whatever the order, a deleted community ends here: closed, not running, nothing live in Stripe. */
async function expectFinal(communityId: string) {
  expect((await funding(communityId)).state).toBe("CLOSED");
  expect((await db.community.findUniqueOrThrow({ where: { id: communityId } })).deletedAt).not.toBeNull();
  const row = await instance(communityId);
  if (row) expect(row.desiredState).toBe("DELETED");
  const transitions = await db.fundingTransition.findMany({ where: { communityId }, orderBy: { seq: "asc" } });
  expect(transitions.at(-1)?.toState).toBe("CLOSED");
  for (const c of await db.contribution.findMany({ where: { communityId, stripeSubscriptionId: { not: null } } })) {
    expect((await subscription(c.stripeSubscriptionId!)).status).toBe("canceled");
    expect(c.status).toBe("CANCELED");
  }
}

describe("deleting a community ends its money", () => {
  it("the owner deletes a live community: every subscription is cancelled at once, nothing is invoiced again, contributors are told", async () => {
    const { owner, community } = await fundable(1000);
    const ada = await makePerson("Ada");
    const ben = await makePerson("Ben");
    const a = await contribute(harness, ada, community, { amount: "6" });
    const b = await contribute(harness, ben, community, { amount: "5" });
    await serverUp(community.id);
    expect(await entries(community.id, "HOSTING")).toEqual([-1000]);
    const invoices = await invoicesOf(a.contribution.stripeSubscriptionId!);

    const outcome = await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: true });
    expect(outcome).toMatchObject({ mode: "closed" });
    await harness.settle();
    await expectFinal(community.id);
    // Cancelled now, without a final or prorated invoice; the emulator cannot renew them any more.
    expect(await invoicesOf(a.contribution.stripeSubscriptionId!)).toBe(invoices);
    for (const c of [a.contribution, b.contribution]) {
      await expect(harness.control(`/subscriptions/${c.stripeSubscriptionId}/advance`)).rejects.toThrow(/Only active or past_due/);
    }
    expect(await invoicesOf(a.contribution.stripeSubscriptionId!)).toBe(invoices);
    // The server ran, so what paid for its hosting stays; nothing arrived after: no refund.
    expect(await entries(community.id, "REFUND")).toEqual([]);
    // Contributors (and the organiser) are told why.
    const told = await db.emailOutbox.findMany({ where: { communityId: community.id, kind: "funding.closed" } });
    expect(told.map((m) => m.toUserId).sort()).toEqual([ada.id, ben.id, owner.id].sort());
    expect(told[0]!.subject).toBe(`${community.name} was deleted: its contributions have ended`);
    expect(told[0]!.data).toMatchObject({ refundsAll: false, slug: community.slug });
    expect((await db.fundingTransition.findFirstOrThrow({ where: { communityId: community.id, toState: "CLOSED" } })).reason).toMatch(/deleted/);
    expect(await db.auditEvent.findFirst({ where: { communityId: community.id, action: "community.deleted" } })).toMatchObject({ actorId: owner.id });
  });

  it("a community that never went live: the owner cancels it and every contribution is refunded, once", async () => {
    const { owner, community } = await fundable(1500);
    await contribute(harness, await makePerson(), community, { amount: "10" });
    await contribute(harness, await makePerson(), community, { amount: "5" });
    expect((await funding(community.id)).state).toBe("FUNDED"); // being set up, nothing charged
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: true });
    await harness.settle(); // charge.refunded events come back and find their refunds recorded
    await expectFinal(community.id);
    expect(await entries(community.id, "REFUND")).toEqual([-1000, -500]);
    expect((await getFundingSummary(community.id))!.balance).toBe(0);
    const charges = (await harness.stripe.charges.list({ limit: 100 })).data.filter((c) =>
      c.refunds?.data.some((r) => r.metadata?.hearthCommunityId === community.id),
    );
    expect(charges.map((c) => c.refunded)).toEqual([true, true]);
    // Their mail says everything is refunded (the template renders it from this flag).
    expect((await db.emailOutbox.findFirstOrThrow({ where: { communityId: community.id, kind: "funding.closed", toUserId: { not: owner.id } } })).data).toMatchObject({
      refundsAll: true,
    });
  });
});

describe("deleted means deleted: no order of requests funds, provisions or un-deletes it", () => {
  it("a checkout opened before the deletion and paid after it: cancelled and refunded, never funded or provisioned", async () => {
    const { community } = await fundable(1000);
    const payer = await makePerson();
    const { url, contributionId } = await startContribution(payer, { community: community.slug, amount: "20", visibility: "anonymous" });
    await closeWithoutSettling(community.id);
    // Before the fix this payment moved the deleted community to FUNDED and asked for an instance.
    await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
    await harness.settle();
    await expectFinal(community.id);
    expect(await entries(community.id, "PAYMENT")).toEqual([2000]);
    expect(await entries(community.id, "REFUND")).toEqual([-2000]);
    expect(await db.fundingTransition.count({ where: { communityId: community.id, toState: "FUNDED" } })).toBe(0);
    expect(requests.filter((r) => r.communityId === community.id)).toEqual([]);
    expect(await instance(community.id)).toBeNull();
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).status).toBe("CANCELED");
  });

  it("the same, when the success page converges before the webhooks: one refund, however often it is reported", async () => {
    const { community } = await fundable(1000);
    const payer = await makePerson();
    const { url } = await startContribution(payer, { community: community.slug, amount: "15", visibility: "anonymous" });
    await closeWithoutSettling(community.id);
    harness.deliverWebhooks(false);
    try {
      await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
      await confirmCheckout(payer.id, sessionIdOf(url));
    } finally {
      harness.deliverWebhooks(true);
    }
    for (const event of harness.emulator.events().filter((e) => JSON.stringify(e).includes(sessionIdOf(url)) || e.type.startsWith("charge."))) {
      harness.emulator.resend(event.id);
    }
    await harness.settle();
    await runFundingClock();
    await expectFinal(community.id);
    expect(await entries(community.id, "REFUND")).toEqual([-1500]);
    expect(await instance(community.id)).toBeNull();
  });

  it("a renewal paid after the deletion (before Stripe heard of it) is refunded and changes nothing", async () => {
    const { community } = await fundable(1000);
    const { contribution } = await contribute(harness, await makePerson(), community, { amount: "10" });
    await serverUp(community.id);
    await closeWithoutSettling(community.id);
    await harness.control(`/subscriptions/${contribution.stripeSubscriptionId}/advance`, { outcome: "paid" });
    await harness.settle();
    await expectFinal(community.id);
    expect(await entries(community.id, "PAYMENT")).toEqual([1000, 1000]);
    expect(await entries(community.id, "REFUND")).toEqual([-1000]); // the renewal only
    expect(await entries(community.id, "HOSTING")).toEqual([-1000]);
    expect(requests.filter((r) => r.communityId === community.id)).toEqual([{ communityId: community.id, state: "running" }]);
  });

  it("a payment and the deletion at the same moment, in either order: closed, and the money is either kept from before or refunded", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, community } = await fundable(1000);
      const payer = await makePerson();
      const { url } = await startContribution(payer, { community: community.slug, amount: "10", visibility: "anonymous" });
      const pay = harness.control(`/checkout/${sessionIdOf(url)}/pay`).then(() => harness.settle(), (e: unknown) => e);
      const remove = deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: false });
      await Promise.all([pay, remove]);
      await harness.settle();
      await runFundingClock();
      await harness.settle();
      await expectFinal(community.id);
      // Never live: whatever was paid, before or after, goes back.
      const paid = (await entries(community.id, "PAYMENT")).reduce((sum, a) => sum + a, 0);
      const refunded = (await entries(community.id, "REFUND")).reduce((sum, a) => sum + a, 0);
      expect(paid + refunded).toBe(0);
      const row = await instance(community.id);
      expect(row === null || row.desiredState === "DELETED").toBe(true);
    }
  });

  it("the worker: a deleted community still marked funded is closed by the clock, and its instance is never asked to run", async () => {
    const { community } = await fundable(1000);
    await contribute(harness, await makePerson(), community, { amount: "10" });
    expect((await instance(community.id))?.desiredState).toBe("RUNNING");
    // As a deletion before this change left it: hidden, instance deleted, funding untouched.
    await db.community.update({ where: { id: community.id }, data: { deletedAt: new Date() } });
    await db.instance.update({ where: { communityId: community.id }, data: { desiredState: "DELETED", desiredGeneration: { increment: 1 } } });
    // A FUNDED transition whose request was never delivered is still pending.
    await db.fundingTransition.updateMany({ where: { communityId: community.id }, data: { instanceRequestDoneAt: null } });
    const before = requests.length;
    await runFundingClock();
    await harness.settle();
    await expectFinal(community.id);
    expect(requests.length).toBe(before);
    expect(await deliverInstanceRequests([community.id])).toBe(0);
    // Provisioning's own API refuses to move it anywhere but deleted.
    for (const state of ["running", "stopped"] as const) {
      expect(await setDesiredState(community.id, state)).toMatchObject({ changed: false, refused: "deleted" });
    }
    expect((await instance(community.id))?.desiredState).toBe("DELETED");
  });

  it("no action reaches it: contribute, dashboard, retry, export, admin resume and suspend, deleting again", async () => {
    const { owner, community } = await fundable(1000);
    await contribute(harness, await makePerson(), community, { amount: "10" });
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: false });
    const admin = await makeUser({ isHostAdmin: true });
    const ctx = { actor: admin, origin: { ip: null, userAgent: null } };
    const revision = async () => (await db.community.findUniqueOrThrow({ where: { id: community.id } })).revision;
    const attempts = [
      async () => startContribution(await makePerson(), { community: community.slug, amount: "10", visibility: "anonymous" }),
      () => retryInstanceAs(owner, { community: community.slug }),
      () => requestExport(owner, { community: community.slug }),
      () => deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: false }),
      async () => resumeTenant(ctx, { communityId: community.id, revision: await revision() }),
      async () => suspendTenant(ctx, { communityId: community.id, revision: await revision() }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: expect.stringMatching(/^(NOT_FOUND|CONFLICT)$/) });
    expect(await getDashboardCommunity(owner, community.slug)).toBeNull();
    await expectFinal(community.id);
  });

  it("its admin page still has everything (the timeline was a 500 before): the tenant, its instance and its timeline", async () => {
    const { owner, community } = await fundable(1000);
    await contribute(harness, await makePerson(), community, { amount: "10" });
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: false });
    const admin = await makeUser({ isHostAdmin: true });
    expect(await getTenant(admin, community.id)).toMatchObject({ community: { deletedAt: expect.any(Date) } });
    expect(await getInstanceTimeline(community.id, admin, { includeDeleted: true })).toMatchObject({ desiredState: "DELETED", settling: true });
    // Outside the admin area it stays gone, even for a host admin.
    await expect(getInstanceTimeline(community.id, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getInstanceTimeline(community.id, owner, { includeDeleted: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
