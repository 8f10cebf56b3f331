// What anyone may see of a community's money: monthly cost, pledged per month, paid this
// period, balance, runway, and the supporters (public ones by name; anonymous ones only
// counted). Amounts of single supporters are never shown.
import "server-only";
import { db } from "@/server/db/client";
import type { FundingState } from "@/generated/prisma/enums";
import { addMonths, AVERAGE_MONTH_MS } from "./months";
import { fundingNow } from "./clock";
import { SUPPORTING } from "./notify";
import { getFundingSettings } from "./settings";

export type Supporter = { name: string; message: string | null; since: Date };

export type FundingSummary = {
  state: FundingState;
  // Whether the contribute button makes sense (public and not suspended by a host admin).
  acceptsContributions: boolean;
  currency: string;
  monthlyCost: number;
  planCost: number;
  hostFee: number;
  pledged: number;
  paidThisPeriod: number;
  balance: number;
  runwayMonths: number;
  coveredUntil: Date | null;
  graceEndsAt: Date | null;
  supporters: { named: Supporter[]; anonymous: number; total: number };
};

const MAX_NAMED = 200;

type Figures = {
  status: string;
  adminSuspendedAt: Date | null;
  planCost: number;
  state: FundingState | null;
  anchorAt: Date | null;
  monthsCharged: number | null;
  graceEndsAt: Date | null;
  pledged: bigint;
  balance: bigint;
  paid: bigint;
  refunded: bigint;
};

// Everything but the supporters in one statement: the community and its plan, its funding
// row, what is pledged, the balance, and what was paid (less refunded) for the contribution
// periods running now (each contributor's current month).
function readFigures(communityId: string, currency: string, now: Date) {
  return db.$queryRaw<Figures[]>`
    SELECT c."status"::text AS "status", c."adminSuspendedAt", p."monthlyCost" AS "planCost",
      f."state"::text AS "state", f."anchorAt", f."monthsCharged", f."graceEndsAt",
      (SELECT COALESCE(SUM(x."amount"), 0) FROM "Contribution" x
        WHERE x."communityId" = c."id" AND x."status" IN ('ACTIVE', 'TRIALING') AND NOT x."cancelAtPeriodEnd" AND x."currency" = ${currency})::bigint AS "pledged",
      (SELECT COALESCE(SUM(l."amount"), 0) FROM "LedgerEntry" l WHERE l."communityId" = c."id" AND l."currency" = ${currency})::bigint AS "balance",
      (SELECT COALESCE(SUM(l."amount"), 0) FROM "LedgerEntry" l
        WHERE l."communityId" = c."id" AND l."kind" = 'PAYMENT' AND l."currency" = ${currency} AND l."periodStart" <= ${now} AND l."periodEnd" > ${now})::bigint AS "paid",
      (SELECT COALESCE(SUM(r."amount"), 0) FROM "LedgerEntry" r
        WHERE r."communityId" = c."id" AND r."kind" = 'REFUND' AND r."stripePaymentIntentId" IN (
          SELECT l."stripePaymentIntentId" FROM "LedgerEntry" l
          WHERE l."communityId" = c."id" AND l."kind" = 'PAYMENT' AND l."currency" = ${currency} AND l."periodStart" <= ${now} AND l."periodEnd" > ${now}))::bigint AS "refunded"
    FROM "Community" c
    JOIN "Plan" p ON p."id" = c."planId"
    LEFT JOIN "CommunityFunding" f ON f."communityId" = c."id"
    WHERE c."id" = ${communityId}`;
}

export async function getFundingSummary(communityId: string): Promise<FundingSummary | null> {
  const now = fundingNow();
  const settings = await getFundingSettings();
  const [[figures], supporting] = await Promise.all([
    readFigures(communityId, settings.currency, now),
    db.contribution.findMany({
      where: { communityId, status: { in: [...SUPPORTING] } },
      select: { userId: true, isPublic: true, publicName: true, message: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  if (!figures) return null;
  const state = figures.state ?? "AWAITING_FUNDING";
  const monthlyCost = figures.planCost + settings.hostFeeCents;
  const anchorAt = (state === "FUNDED" || state === "GRACE") && figures.anchorAt ? figures.anchorAt : null;

  // One line per person: named if any of their contributions is public.
  const people = new Map<string, Supporter | null>();
  for (const row of supporting) {
    if (row.isPublic && row.publicName) people.set(row.userId, { name: row.publicName, message: row.message, since: row.createdAt });
    else if (!people.has(row.userId)) people.set(row.userId, null);
  }
  const named = [...people.values()].filter((s): s is Supporter => s !== null);

  const money = Number(figures.balance);
  const cost = Math.max(monthlyCost, 1);
  // Covered: the months already charged, plus every further whole month the balance pays for.
  const coveredUntil = anchorAt ? addMonths(anchorAt, (figures.monthsCharged ?? 0) + Math.max(0, Math.floor(money / cost))) : null;
  const runwayMonths = coveredUntil
    ? Math.max(0, (coveredUntil.getTime() - now.getTime()) / AVERAGE_MONTH_MS)
    : Math.max(0, money / cost);

  return {
    state,
    acceptsContributions: figures.status !== "DRAFT" && !figures.adminSuspendedAt,
    currency: settings.currency,
    monthlyCost,
    planCost: figures.planCost,
    hostFee: settings.hostFeeCents,
    pledged: Number(figures.pledged),
    paidThisPeriod: Number(figures.paid) + Number(figures.refunded),
    balance: money,
    runwayMonths,
    coveredUntil,
    graceEndsAt: figures.graceEndsAt ?? null,
    supporters: { named: named.slice(-MAX_NAMED).reverse(), anonymous: people.size - named.length, total: people.size },
  };
}
