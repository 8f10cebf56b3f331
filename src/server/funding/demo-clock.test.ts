// Issue 11, problem 7: grace and suspension could only be shown by editing dates in the
// database. A host admin now moves one community's funding time forward on a Hearth that runs
// on the Stripe emulator, and its contributors' subscriptions renew with it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { env } from "@/server/config/env";
import { makeUser } from "@/server/testing/fixtures";
import { advanceDemoClock } from "./demo-clock";
import { getFundingSummary } from "./get-funding-summary";
import { contribute, makeFundableCommunity, makePerson, serverUp } from "./testing/fixtures";
import { startFundingHarness, type FundingHarness } from "./testing/stripe-harness";

let harness: FundingHarness;
const config = env() as { STRIPE_EMULATOR_URL?: string };
beforeAll(async () => {
  harness = await startFundingHarness();
  // This process talks to the harness's emulator, as `npm start` makes the app talk to its own.
  config.STRIPE_EMULATOR_URL = harness.emulator.url;
});
afterAll(async () => {
  config.STRIPE_EMULATOR_URL = undefined;
  await harness.stop();
});

const state = async (communityId: string) => (await db.communityFunding.findUniqueOrThrow({ where: { communityId } })).state;

describe("the demo clock", () => {
  it("plays out renewal, grace, suspension and recovery on the emulator's subscriptions", async () => {
    const admin = await makeUser({ isHostAdmin: true });
    const community = await makeFundableCommunity({ monthlyCost: 1000 });
    const { contribution } = await contribute(harness, await makePerson("Lin"), community, { amount: "10" });
    await serverUp(community.id);
    expect(await state(community.id)).toBe("FUNDED");

    // A month on, the renewal is paid: still funded, the second month charged from it.
    const month = await advanceDemoClock(admin, { communityId: community.id, step: "month", renewals: "paid" });
    expect(month).toMatchObject({ renewals: 1, state: "FUNDED" });
    expect(await db.ledgerEntry.count({ where: { communityId: community.id, kind: "PAYMENT" } })).toBe(2);
    expect(await db.ledgerEntry.count({ where: { communityId: community.id, kind: "HOSTING" } })).toBe(2);

    // Another month, the renewal declined: grace.
    expect(await advanceDemoClock(admin, { communityId: community.id, step: "month", renewals: "failed" })).toMatchObject({ renewals: 1, state: "GRACE" });
    expect((await db.contribution.findUniqueOrThrow({ where: { id: contribution.id } })).status).toBe("PAST_DUE");
    // Two weeks later the grace period is over: suspended, the instance asked to stop.
    expect(await advanceDemoClock(admin, { communityId: community.id, step: "fortnight", renewals: "failed" })).toMatchObject({ state: "SUSPENDED" });
    // Someone contributes: funded again.
    await contribute(harness, await makePerson("Mo"), community, { amount: "10" });
    expect(await state(community.id)).toBe("FUNDED");
    const transitions = await db.fundingTransition.findMany({ where: { communityId: community.id }, orderBy: { seq: "asc" } });
    expect(transitions.map((t) => t.toState)).toEqual(["FUNDED", "GRACE", "SUSPENDED", "FUNDED"]);
    // The page reads the community's time: the current period is the renewed one.
    expect((await getFundingSummary(community.id))!.state).toBe("FUNDED");
    expect(await db.auditEvent.count({ where: { communityId: community.id, action: "tenant.demo-clock-advanced" } })).toBe(3);
  });

  it("is refused to anyone but a host admin, and on a Hearth that talks to Stripe itself", async () => {
    const community = await makeFundableCommunity({ monthlyCost: 1000 });
    await expect(advanceDemoClock(await makeUser(), { communityId: community.id, step: "day", renewals: "paid" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const saved = config.STRIPE_EMULATOR_URL;
    config.STRIPE_EMULATOR_URL = undefined;
    try {
      await expect(advanceDemoClock(await makeUser({ isHostAdmin: true }), { communityId: community.id, step: "day", renewals: "paid" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    } finally {
      config.STRIPE_EMULATOR_URL = saved;
    }
    expect(await db.communityFunding.findUnique({ where: { communityId: community.id } })).toBeNull();
  });
});
