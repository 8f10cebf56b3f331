// Applies the funding rules (funding-rules.ts) to one community inside the caller's
// transaction: charges the hosting months that are due, records each state change with
// its instance request, and queues the emails. The community's funding row is locked, so
// a webhook and the worker's clock evaluating at once take turns.
import "server-only";
import type { CommunityFunding, Prisma } from "@/generated/prisma/client";
import { advanceFunding, paidThrough } from "./funding-rules";
import { queueTransitionEmails } from "./notify";
import { getFundingSettings } from "./settings";
import type { InstanceRequest } from "./instance-hooks";

type Tx = Prisma.TransactionClient;

const REQUEST: Partial<Record<string, InstanceRequest>> = { FUNDED: "running", SUSPENDED: "stopped" };

/** Returns whether the state changed (then instance requests may be waiting for delivery). */
export async function evaluateFunding(tx: Tx, communityId: string, now: Date): Promise<boolean> {
  await tx.$executeRaw`
    INSERT INTO "CommunityFunding" ("communityId", "updatedAt") VALUES (${communityId}, now())
    ON CONFLICT ("communityId") DO NOTHING`;
  const [funding] = await tx.$queryRaw<Pick<CommunityFunding, "state" | "anchorAt" | "monthsCharged" | "graceEndsAt">[]>`
    SELECT "state"::text AS "state", "anchorAt", "monthsCharged", "graceEndsAt"
    FROM "CommunityFunding" WHERE "communityId" = ${communityId} FOR UPDATE`;
  if (!funding) throw new Error(`no funding row for ${communityId}`);
  // One after another: a transaction is one connection (pg warns about overlapping queries).
  const settings = await getFundingSettings(tx);
  // The community, its plan's cost and its balance in one statement, read after the funding
  // row's lock so the balance includes every entry committed before this evaluation began.
  const [community] = await tx.$queryRaw<{ id: string; slug: string; name: string; ownerId: string; monthlyCost: number; balance: bigint }[]>`
    SELECT c."id", c."slug", c."name", c."ownerId", p."monthlyCost",
      (SELECT COALESCE(SUM(l."amount"), 0) FROM "LedgerEntry" l WHERE l."communityId" = c."id" AND l."currency" = ${settings.currency})::bigint AS "balance"
    FROM "Community" c JOIN "Plan" p ON p."id" = c."planId"
    WHERE c."id" = ${communityId}`;
  if (!community) throw new Error(`no community ${communityId}`);
  const { next, steps } = advanceFunding(
    { state: funding.state, anchorAt: funding.anchorAt, monthsCharged: funding.monthsCharged, graceEndsAt: funding.graceEndsAt, balance: Number(community.balance) },
    { monthlyCost: community.monthlyCost + settings.hostFeeCents, graceDays: settings.graceDays, now },
  );
  if (steps.length === 0) return false;

  let changed = false;
  for (const step of steps) {
    if (step.kind === "charge") {
      await tx.ledgerEntry.createMany({
        data: [
          {
            communityId,
            kind: "HOSTING",
            amount: -step.amount,
            currency: settings.currency,
            periodStart: step.periodStart,
            periodEnd: step.periodEnd,
            // One charge per month of a run, however often the month is evaluated.
            hostingKey: `${communityId}:${step.anchorAt.toISOString()}:${step.month}`,
            occurredAt: now,
          },
        ],
        skipDuplicates: true,
      });
      continue;
    }
    changed = true;
    const transition = await tx.fundingTransition.create({
      data: {
        communityId,
        fromState: step.from,
        toState: step.to,
        reason: step.reason,
        balance: step.balance,
        instanceRequest: REQUEST[step.to] ?? null,
        at: now,
      },
      select: { id: true },
    });
    await queueTransitionEmails(tx, {
      transitionId: transition.id,
      community,
      from: step.from,
      to: step.to,
      graceEndsAt: step.to === "GRACE" ? next.graceEndsAt : null,
    });
  }
  await tx.communityFunding.update({
    where: { communityId },
    data: {
      state: next.state,
      ...(changed ? { stateSince: now } : {}),
      anchorAt: next.anchorAt,
      monthsCharged: next.monthsCharged,
      paidThrough: paidThrough(next),
      graceEndsAt: next.graceEndsAt,
    },
  });
  return changed;
}
