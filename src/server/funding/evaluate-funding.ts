// Applies the funding rules (funding-rules.ts) to one community inside the caller's
// transaction: charges the hosting months that are due (only while its server is up),
// records each state change with its instance request, and queues the emails. The
// community's funding row is locked, so a webhook and the worker's clock evaluating at once
// take turns. A deleted community is closed here, whoever evaluates it first.
import "server-only";
import type { CommunityFunding, Prisma } from "@/generated/prisma/client";
import { advanceFunding, fundingInputs, paidThrough, type FundingSnapshot, type FundingStep } from "./funding-rules";
import { queueTransitionEmails } from "./notify";
import { getFundingSettings } from "./settings";
import type { InstanceRequest } from "./instance-hooks";

type Tx = Prisma.TransactionClient;

// CLOSED asks for nothing: deleting the community took its instance down itself.
const REQUEST: Partial<Record<string, InstanceRequest>> = { FUNDED: "running", SUSPENDED: "stopped" };

type LockedFunding = Pick<CommunityFunding, "state" | "anchorAt" | "monthsCharged" | "graceEndsAt" | "demoOffsetSeconds">;

/** The community as the funding rules and the emails need it, with its balance in the host's currency. */
type FundedCommunity = {
  id: string;
  slug: string;
  name: string;
  ownerId: string;
  status: string;
  deletedAt: Date | null;
  monthlyCost: number;
  balance: bigint;
};

/** From when payments are refunded once the community is closed; null while it is not closing. */
type Closing = { refundPaymentsFrom: Date } | null;

/** Returns whether the state changed (then instance requests may be waiting for delivery). */
export async function evaluateFunding(tx: Tx, communityId: string, at: Date): Promise<boolean> {
  const funding = await lockFunding(tx, communityId);
  if (funding.state === "CLOSED") return false;
  // The demo clock (demo-clock.ts) runs this community's time ahead; zero everywhere else.
  const now = new Date(at.getTime() + funding.demoOffsetSeconds * 1000);
  // One after another: a transaction is one connection (pg warns about overlapping queries).
  const settings = await getFundingSettings(tx);
  const community = await readCommunity(tx, communityId, settings.currency);
  const { next, steps } = advanceFunding(snapshotOf(funding, community), fundingInputs(community, settings, now));
  if (steps.length === 0) return false;

  const closing = next.state === "CLOSED" ? await closingTerms(tx, communityId) : null;
  let changed = false;
  for (const step of steps) {
    if (step.kind === "charge") await chargeMonth(tx, communityId, step, settings.currency, now);
    else if (step.kind === "transition") {
      changed = true;
      await recordTransition(tx, { community, step, graceEndsAt: next.graceEndsAt, closing, now });
    }
    // A "pause" (the run of months ended with no state change) writes nothing of its own.
  }
  await saveFunding(tx, communityId, next, { changed, closing, now });
  return changed;
}

/** The community's funding row, made if missing, locked until the transaction ends. */
async function lockFunding(tx: Tx, communityId: string): Promise<LockedFunding> {
  const locked = () => tx.$queryRaw<LockedFunding[]>`
    SELECT "state"::text AS "state", "anchorAt", "monthsCharged", "graceEndsAt", "demoOffsetSeconds"
    FROM "CommunityFunding" WHERE "communityId" = ${communityId} FOR UPDATE`;
  // Nearly always there: made only when missing (one statement instead of two).
  let [funding] = await locked();
  if (!funding) {
    await tx.$executeRaw`
      INSERT INTO "CommunityFunding" ("communityId", "updatedAt") VALUES (${communityId}, now())
      ON CONFLICT ("communityId") DO NOTHING`;
    [funding] = await locked();
  }
  if (!funding) throw new Error(`no funding row for ${communityId}`);
  return funding;
}

/**
 * The community, its plan's cost and its balance in one statement, read after the funding row's
 * lock so the balance includes every entry committed before this evaluation began.
 */
async function readCommunity(tx: Tx, communityId: string, currency: string): Promise<FundedCommunity> {
  const [community] = await tx.$queryRaw<FundedCommunity[]>`
    SELECT c."id", c."slug", c."name", c."ownerId", c."status"::text AS "status", c."deletedAt", p."monthlyCost",
      (SELECT COALESCE(SUM(l."amount"), 0) FROM "LedgerEntry" l WHERE l."communityId" = c."id" AND l."currency" = ${currency})::bigint AS "balance"
    FROM "Community" c JOIN "Plan" p ON p."id" = c."planId"
    WHERE c."id" = ${communityId}`;
  if (!community) throw new Error(`no community ${communityId}`);
  return community;
}

/** Where the funding rules start from: the locked row and the balance. */
function snapshotOf(funding: Omit<LockedFunding, "demoOffsetSeconds">, community: Pick<FundedCommunity, "balance">): FundingSnapshot {
  const { state, anchorAt, monthsCharged, graceEndsAt } = funding;
  return { state, anchorAt, monthsCharged, graceEndsAt, balance: Number(community.balance) };
}

/**
 * A community that never had a month of hosting charged gets every payment back; one that ran
 * keeps what paid for its hosting, and whatever arrives from now on is refunded.
 */
async function closingTerms(tx: Tx, communityId: string): Promise<NonNullable<Closing>> {
  const [hosted] = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM "LedgerEntry" WHERE "communityId" = ${communityId} AND "kind" = 'HOSTING' LIMIT 1`;
  // Real time, not the community's (demo or test clock): ledger rows are stamped in real time.
  return { refundPaymentsFrom: hosted ? new Date() : new Date(0) };
}

async function chargeMonth(tx: Tx, communityId: string, step: Extract<FundingStep, { kind: "charge" }>, currency: string, now: Date): Promise<void> {
  await tx.ledgerEntry.createMany({
    data: [
      {
        communityId,
        kind: "HOSTING",
        amount: -step.amount,
        currency,
        periodStart: step.periodStart,
        periodEnd: step.periodEnd,
        // One charge per month of a run, however often the month is evaluated.
        hostingKey: `${communityId}:${step.anchorAt.toISOString()}:${step.month}`,
        occurredAt: now,
      },
    ],
    skipDuplicates: true,
  });
}

/** The state change with its instance request, and the emails that tell people about it. */
async function recordTransition(
  tx: Tx,
  input: { community: FundedCommunity; step: Extract<FundingStep, { kind: "transition" }>; graceEndsAt: Date | null; closing: Closing; now: Date },
): Promise<void> {
  const { community, step } = input;
  const transition = await tx.fundingTransition.create({
    data: {
      communityId: community.id,
      fromState: step.from,
      toState: step.to,
      reason: step.reason,
      balance: step.balance,
      instanceRequest: REQUEST[step.to] ?? null,
      at: input.now,
    },
    select: { id: true },
  });
  await queueTransitionEmails(tx, {
    transitionId: transition.id,
    community,
    from: step.from,
    to: step.to,
    graceEndsAt: step.to === "GRACE" ? input.graceEndsAt : null,
    refundsAll: input.closing?.refundPaymentsFrom.getTime() === 0,
  });
}

async function saveFunding(tx: Tx, communityId: string, next: FundingSnapshot, input: { changed: boolean; closing: Closing; now: Date }): Promise<void> {
  await tx.communityFunding.update({
    where: { communityId },
    data: {
      state: next.state,
      ...(input.changed ? { stateSince: input.now } : {}),
      anchorAt: next.anchorAt,
      monthsCharged: next.monthsCharged,
      paidThrough: paidThrough(next),
      graceEndsAt: next.graceEndsAt,
      ...(input.closing ? { closedAt: new Date(), refundPaymentsFrom: input.closing.refundPaymentsFrom } : {}),
    },
  });
}
