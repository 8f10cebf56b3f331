// Everything the admin area needs from funding (issue 4), in one place.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { getFundingSummary } from "@/server/funding/get-funding-summary";
import { addMonths, AVERAGE_MONTH_MS } from "@/server/funding/months";

type Tx = Prisma.TransactionClient;

/** Defaults of the host settings that funding reads (Setting rows funding.* override them). */
export function fundingDefaults(): { graceDays: number; hostFeeCents: number; currency: string } {
  const config = env();
  return { graceDays: config.HEARTH_FUNDING_GRACE_DAYS, hostFeeCents: config.HEARTH_HOST_FEE_CENTS, currency: config.HEARTH_CURRENCY };
}

/** Whether funding wants the instance to run: what a resume returns to. */
export async function fundingAllowsRunning(tx: Tx, communityId: string): Promise<boolean> {
  const funding = await tx.communityFunding.findUnique({ where: { communityId }, select: { state: true } });
  return funding?.state === "FUNDED" || funding?.state === "GRACE";
}

/** The tenant page's funding card: the summary anyone sees, and every contribution with its payer. */
export async function tenantFunding(communityId: string) {
  const [summary, contributions] = await Promise.all([
    getFundingSummary(communityId),
    db.contribution.findMany({
      where: { communityId },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: {
        id: true,
        amount: true,
        currency: true,
        status: true,
        isPublic: true,
        publicName: true,
        cancelAtPeriodEnd: true,
        createdAt: true,
        user: { select: { email: true, name: true } },
      },
    }),
  ]);
  return { summary, contributions };
}

export type TenantFunding = Awaited<ReturnType<typeof tenantFunding>>;

/** Runway as funding computes it (get-funding-summary.ts), from a table row's columns. */
export function runwayOf(
  row: { fundingState: string; anchorAt: Date | null; monthsCharged: number | null; balance: number; monthlyCost: number },
  now: Date,
): { runwayMonths: number; coveredUntil: Date | null } {
  const cost = Math.max(row.monthlyCost, 1);
  const running = (row.fundingState === "FUNDED" || row.fundingState === "GRACE") && row.anchorAt;
  if (!running) return { runwayMonths: Math.max(0, row.balance / cost), coveredUntil: null };
  const coveredUntil = addMonths(row.anchorAt!, (row.monthsCharged ?? 0) + Math.max(0, Math.floor(row.balance / cost)));
  return { runwayMonths: Math.max(0, (coveredUntil.getTime() - now.getTime()) / AVERAGE_MONTH_MS), coveredUntil };
}
