// The anonymous public page's cache against the real database: a value is kept until the
// database announces a change to its community (a contribution's payment, a funding change,
// the community itself), or to everything (a plan's price).
import { expect, it } from "vitest";
import { db } from "@/server/db/client";
import { getFundingSummary } from "@/server/funding/get-funding-summary";
import { makeFundableCommunity, makePerson } from "@/server/funding/testing/fixtures";
import { cachedPublic, publicCacheStatus } from "./public-page-cache";

it("keeps a community's figures until the database says they changed", async () => {
  const community = await makeFundableCommunity({ monthlyCost: 2000 });
  const other = await makeFundableCommunity({ monthlyCost: 2000 });
  let reads = 0;
  const summary = (id: string) => () => {
    reads += 1;
    return getFundingSummary(id);
  };
  const get = () => cachedPublic(`test:${community.id}`, summary(community.id), () => community.id);
  const getOther = () => cachedPublic(`test:${other.id}`, summary(other.id), () => other.id);

  // Nothing is kept until the listener is connected.
  await get();
  await expect.poll(() => publicCacheStatus().listening, { timeout: 20_000 }).toBe(true);
  await get();
  await getOther();
  const afterFill = reads;
  expect((await get())!.balance).toBe(0);
  await getOther();
  expect(reads).toBe(afterFill); // both served from the cache

  // A payment for this community: its entry is dropped, the other one stays.
  const person = await makePerson();
  const contribution = await db.contribution.create({
    data: { communityId: community.id, userId: person.id, stripeCustomerId: "cus_cache_test", status: "ACTIVE", amount: 700, currency: "eur", isPublic: false },
  });
  await db.ledgerEntry.create({
    data: { communityId: community.id, contributionId: contribution.id, kind: "PAYMENT", amount: 700, currency: "eur", occurredAt: new Date() },
  });
  await expect.poll(async () => (await get())!.balance, { timeout: 20_000 }).toBe(700);
  expect((await get())!.pledged).toBe(700);
  const before = reads;
  await getOther();
  expect(reads).toBe(before);

  // A plan's price changes every page that shows it.
  await db.plan.update({ where: { id: other.planId }, data: { monthlyCost: 2500 } });
  await expect.poll(async () => (await getOther())!.planCost, { timeout: 20_000 }).toBe(2500);

  // Nothing is kept for a community that is not there.
  const missing = () => cachedPublic("test:missing", async () => null, () => "none");
  expect(await missing()).toBeNull();
  expect(await missing()).toBeNull();
});
