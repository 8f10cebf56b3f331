// What the contribute page needs to know before showing the form.
import "server-only";
import { db } from "@/server/db/client";
import { SUPPORTING } from "./notify";
import { getFundingSettings } from "./settings";
import { COMMUNITY_SUSPENDED } from "./start-contribution";

export async function getContributeContext(communityId: string, personId: string) {
  const [settings, community, supporting] = await Promise.all([
    getFundingSettings(),
    db.community.findUniqueOrThrow({ where: { id: communityId }, select: { adminSuspendedAt: true, plan: { select: { monthlyCost: true } } } }),
    db.contribution.count({ where: { communityId, userId: personId, status: { in: [...SUPPORTING] } } }),
  ]);
  return {
    currency: settings.currency,
    presets: settings.presets,
    max: settings.contributionMax,
    monthlyCost: community.plan.monthlyCost + settings.hostFeeCents,
    alreadySupporting: supporting > 0,
    refusal: community.adminSuspendedAt ? COMMUNITY_SUSPENDED : null,
  };
}
