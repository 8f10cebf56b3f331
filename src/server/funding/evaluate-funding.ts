// Applies the funding rules (funding-rules.ts) to one community inside the caller's
// transaction: charges the hosting months that are due (only while its server is up),
// records each state change with its instance request, and queues the emails. The
// community's funding row is locked, so a webhook and the worker's clock evaluating at once
// take turns. A deleted community is closed here, whoever evaluates it first.
import "server-only";
import type { CommunityFunding, Prisma } from "@/generated/prisma/client";
import { advanceFunding, paidThrough } from "./funding-rules";
import { queueTransitionEmails } from "./notify";
import { getFundingSettings } from "./settings";
import type { InstanceRequest } from "./instance-hooks";

type Tx = Prisma.TransactionClient;

// CLOSED asks for nothing: deleting the community took its instance down itself.
const REQUEST: Partial<Record<string, InstanceRequest>> = { FUNDED: "running", SUSPENDED: "stopped" };

/** Returns whether the state changed (then instance requests may be waiting for delivery). */
export async function evaluateFunding(tx: Tx, communityId: string, at: Date): Promise<boolean> {
  await tx.$executeRaw`
    INSERT INTO "CommunityFunding" ("communityId", "updatedAt") VALUES (${communityId}, now())
    ON CONFLICT ("communityId") DO NOTHING`;
  const [funding] = await tx.$queryRaw<Pick<CommunityFunding, "state" | "anchorAt" | "monthsCharged" | "graceEndsAt" | "demoOffsetSeconds">[]>`
    SELECT "state"::text AS "state", "anchorAt", "monthsCharged", "graceEndsAt", "demoOffsetSeconds"
    FROM "CommunityFunding" WHERE "communityId" = ${communityId} FOR UPDATE`;
  if (!funding) throw new Error(`no funding row for ${communityId}`);
  if (funding.state === "CLOSED") return false;
  // The demo clock (demo-clock.ts) runs this community's time ahead; zero everywhere else.
  const now = new Date(at.getTime() + funding.demoOffsetSeconds * 1000);
  // One after another: a transaction is one connection (pg warns about overlapping queries).
  const settings = await getFundingSettings(tx);
  // The community, its plan's cost and its balance in one statement, read after the funding
  // row's lock so the balance includes every entry committed before this evaluation began.
  const [community] = await tx.$queryRaw<
    { id: string; slug: string; name: string; ownerId: string; status: string; deletedAt: Date | null; monthlyCost: number; balance: bigint }[]
  >`
    SELECT c."id", c."slug", c."name", c."ownerId", c."status"::text AS "status", c."deletedAt", p."monthlyCost",
      (SELECT COALESCE(SUM(l."amount"), 0) FROM "LedgerEntry" l WHERE l."communityId" = c."id" AND l."currency" = ${settings.currency})::bigint AS "balance"
    FROM "Community" c JOIN "Plan" p ON p."id" = c."planId"
    WHERE c."id" = ${communityId}`;
  if (!community) throw new Error(`no community ${communityId}`);
  const { next, steps } = advanceFunding(
    { state: funding.state, anchorAt: funding.anchorAt, monthsCharged: funding.monthsCharged, graceEndsAt: funding.graceEndsAt, balance: Number(community.balance) },
    {
      monthlyCost: community.monthlyCost + settings.hostFeeCents,
      graceDays: settings.graceDays,
      now,
      serverUp: community.status === "LIVE" && !community.deletedAt,
      deleted: community.deletedAt !== null,
    },
  );
  if (steps.length === 0) return false;

  let closing: { refundPaymentsFrom: Date } | null = null;
  if (next.state === "CLOSED") {
    // A community that never had a month of hosting charged gets every payment back; one that
    // ran keeps what paid for its hosting, and whatever arrives from now on is refunded.
    const [hosted] = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "LedgerEntry" WHERE "communityId" = ${communityId} AND "kind" = 'HOSTING' LIMIT 1`;
    // Real time, not the community's (demo or test clock): ledger rows are stamped in real time.
    closing = { refundPaymentsFrom: hosted ? new Date() : new Date(0) };
  }

  let changed = false;
  for (const step of steps) {
    if (step.kind === "pause") continue;
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
      refundsAll: closing?.refundPaymentsFrom.getTime() === 0,
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
      ...(closing ? { closedAt: new Date(), refundPaymentsFrom: closing.refundPaymentsFrom } : {}),
    },
  });
  return changed;
}
