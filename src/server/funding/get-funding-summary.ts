// What anyone may see of a community's money: monthly cost, pledged per month, paid this
// period, balance, runway, and the supporters (public ones by name; anonymous ones only
// counted). Amounts of single supporters are never shown.
import "server-only";
import { db } from "@/server/db/client";
import type { FundingState } from "@/generated/prisma/enums";
import { coverage } from "./coverage";
import { fundingNow } from "./clock";
import { SUPPORTING } from "./notify";
import { getFundingSettings } from "./settings";
import { publicState, type PublicState } from "./public-state";

export type Supporter = { name: string; message: string | null; since: Date };

export type FundingSummary = {
  state: FundingState;
  /** The badge and sentence the public page shows (communities/public-state.ts). */
  publicState: PublicState;
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
  /** Funded, but the server is not up yet: no month is charged, the runway starts when it is. */
  startsWhenUp: boolean;
  /** People who supported it once and no longer do (so "no supporters yet" is not said). */
  formerSupporters: number;
  graceEndsAt: Date | null;
  supporters: { named: Supporter[]; anonymous: number; total: number };
};

const MAX_NAMED = 200;

export async function getFundingSummary(communityId: string): Promise<FundingSummary | null> {
  const realNow = fundingNow();
  const [community, funding, settings] = await Promise.all([
    db.community.findUnique({
      where: { id: communityId },
      select: { status: true, adminSuspendedAt: true, adminSuspendedReason: true, deletedAt: true, plan: { select: { monthlyCost: true } } },
    }),
    db.communityFunding.findUnique({ where: { communityId } }),
    getFundingSettings(),
  ]);
  if (!community) return null;
  // The community's own time (its demo clock, if a host admin moved it).
  const now = new Date(realNow.getTime() + (funding?.demoOffsetSeconds ?? 0) * 1000);
  const state = funding?.state ?? "AWAITING_FUNDING";
  const monthlyCost = community.plan.monthlyCost + settings.hostFeeCents;
  // "Paid this period": payments for the contribution periods running now (each
  // contributor's current month), less what was refunded of them.
  const current = { communityId, kind: "PAYMENT" as const, currency: settings.currency, periodStart: { lte: now }, periodEnd: { gt: now } };

  const [pledged, paidNow, balance, supporting, former] = await Promise.all([
    db.contribution.aggregate({
      where: { communityId, status: { in: ["ACTIVE", "TRIALING"] }, cancelAtPeriodEnd: false, currency: settings.currency },
      _sum: { amount: true },
    }),
    db.ledgerEntry.findMany({ where: current, select: { amount: true, stripePaymentIntentId: true } }),
    db.ledgerEntry.aggregate({ where: { communityId, currency: settings.currency }, _sum: { amount: true } }),
    db.contribution.findMany({
      where: { communityId, status: { in: [...SUPPORTING] } },
      select: { userId: true, isPublic: true, publicName: true, message: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.contribution.findMany({
      where: { communityId, status: { in: ["CANCELED", "PAUSED", "INCOMPLETE_EXPIRED"] }, ledgerEntries: { some: { kind: "PAYMENT" } } },
      select: { userId: true },
      distinct: ["userId"],
    }),
  ]);

  // One line per person: named if any of their contributions is public.
  const people = new Map<string, Supporter | null>();
  for (const row of supporting) {
    if (row.isPublic && row.publicName) people.set(row.userId, { name: row.publicName, message: row.message, since: row.createdAt });
    else if (!people.has(row.userId)) people.set(row.userId, null);
  }
  const named = [...people.values()].filter((s): s is Supporter => s !== null);

  const paidIntents = paidNow.map((e) => e.stripePaymentIntentId).filter((id): id is string => id !== null);
  const refunded = paidIntents.length
    ? await db.ledgerEntry.aggregate({
        where: { communityId, kind: "REFUND", stripePaymentIntentId: { in: paidIntents } },
        _sum: { amount: true },
      })
    : { _sum: { amount: 0 } };
  const money = balance._sum.amount ?? 0;
  const { coveredUntil, runwayMonths, startsWhenUp } = coverage(
    { fundingState: state, status: community.status, anchorAt: funding?.anchorAt ?? null, monthsCharged: funding?.monthsCharged ?? 0, balance: money, monthlyCost },
    now,
  );

  const shown = publicState({
    status: community.status,
    deletedAt: community.deletedAt,
    adminSuspendedAt: community.adminSuspendedAt,
    adminSuspendedReason: community.adminSuspendedReason,
    funding: state,
    startsWhenUp,
    coveredUntil,
    graceEndsAt: funding?.graceEndsAt ?? null,
  });
  return {
    state,
    publicState: shown,
    acceptsContributions: shown.acceptsContributions,
    currency: settings.currency,
    monthlyCost,
    planCost: community.plan.monthlyCost,
    hostFee: settings.hostFeeCents,
    pledged: pledged._sum.amount ?? 0,
    paidThisPeriod: paidNow.reduce((sum, e) => sum + e.amount, 0) + (refunded._sum.amount ?? 0),
    balance: money,
    runwayMonths,
    coveredUntil,
    startsWhenUp,
    formerSupporters: former.filter((row) => !people.has(row.userId)).length,
    graceEndsAt: funding?.graceEndsAt ?? null,
    supporters: { named: named.slice(-MAX_NAMED).reverse(), anonymous: people.size - named.length, total: people.size },
  };
}
