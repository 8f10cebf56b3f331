// Funding test data: each test makes its own people, plan and community (unique names).
import { randomBytes } from "node:crypto";
import { db } from "@/server/db/client";
import { startContribution } from "@/server/funding/start-contribution";
import { runFundingClock } from "@/server/funding/run-funding-clock";
import type { ContributionForm } from "@/server/funding/schemas";
import type { FundingHarness } from "./stripe-harness";

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export function makePerson(name = "Test Person") {
  return db.user.create({ data: { email: `${uniqueName("person")}@example.test`, name }, select: { id: true, email: true, name: true } });
}

/** A public community (awaiting funding) on a plan of its own that costs `monthlyCost` cents. */
export async function makeFundableCommunity(options: { monthlyCost?: number; ownerId?: string } = {}) {
  const ownerId = options.ownerId ?? (await makePerson("Organiser")).id;
  const plan = await db.plan.create({
    data: { slug: uniqueName("plan"), name: "Test plan", memoryMb: 1024, cpuMillis: 500, diskGb: 5, monthlyCost: options.monthlyCost ?? 1500 },
  });
  return db.community.create({
    data: { slug: uniqueName("town"), name: "Test Town", software: "MASTODON", status: "AWAITING_FUNDING", planId: plan.id, ownerId },
  });
}

export const sessionIdOf = (checkoutUrl: string) => new URL(checkoutUrl).pathname.split("/").pop()!;

/** A person contributes `amount` (whole units) and pays at the emulator's checkout; webhooks processed. */
export async function contribute(
  harness: FundingHarness,
  person: { id: string; email: string; name: string | null },
  community: { slug: string },
  options: Partial<ContributionForm> & { card?: string } = {},
) {
  const { card = "4242424242424242", ...form } = options;
  const { url, contributionId } = await startContribution(person, {
    community: community.slug,
    amount: "10",
    visibility: "public",
    publicName: person.name ?? "Someone",
    ...form,
  });
  await harness.control(`/checkout/${sessionIdOf(url)}/pay`, { card });
  await harness.settle();
  const contribution = await db.contribution.findUniqueOrThrow({ where: { id: contributionId } });
  return { contribution, sessionId: sessionIdOf(url) };
}

/**
 * Provisioning's part, as its last step does it: the server answers (community LIVE). The
 * funding clock then starts the hosting months, as the worker does.
 */
export async function serverUp(communityId: string, at?: Date) {
  await db.community.update({ where: { id: communityId }, data: { status: "LIVE" } });
  return runFundingClock(at);
}
