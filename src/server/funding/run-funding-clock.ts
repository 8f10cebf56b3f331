// The worker's funding clock: starts the first hosting month of a funded server once it is
// up, charges hosting months as they come due, ends grace periods, settles deleted
// communities (cancels, refunds), delivers instance requests that could not be delivered at
// once, and forgets webhook event ids old enough that Stripe no longer retries them.
import "server-only";
import { db } from "@/server/db/client";
import { env } from "@/server/config/env";
import { log } from "@/server/log";
import { fundingNow } from "./clock";
import { evaluateFunding } from "./evaluate-funding";
import { deliverInstanceRequests } from "./instance-hooks";
import { settleClosedCommunity, unsettledClosedCommunities } from "./settle-closed-community";
import { repeat, type Repeating } from "@/server/worker/repeat";

const EVENT_RETENTION_MS = 30 * 24 * 3600_000;

/** Communities with something due at `now` (their demo clock, if any, added). */
export async function dueCommunities(now: Date, limit = 1000): Promise<{ communityId: string }[]> {
  return db.$queryRaw<{ communityId: string }[]>`
    SELECT f."communityId" FROM "CommunityFunding" f JOIN "Community" c ON c."id" = f."communityId"
    WHERE (f."state" = 'FUNDED' AND f."paidThrough" <= ${now})
       OR (f."state" = 'GRACE' AND f."graceEndsAt" <= ${now})
       -- a funded server that is up and has no run of months yet: its first month starts now
       OR (f."state" = 'FUNDED' AND f."anchorAt" IS NULL AND c."status" = 'LIVE')
       -- deleted before this clock closed it (and rows from before CLOSED existed)
       OR (f."state" <> 'CLOSED' AND c."deletedAt" IS NOT NULL)
       -- communities on the demo clock: few, and their time is not ours
       OR (f."demoOffsetSeconds" <> 0 AND f."state" IN ('FUNDED', 'GRACE'))
    LIMIT ${limit}`;
}

export async function runFundingClock(now: Date = fundingNow()) {
  const due = await dueCommunities(now);
  let transitions = 0;
  for (const { communityId } of due) {
    try {
      if (await db.$transaction((tx) => evaluateFunding(tx, communityId, now))) transitions += 1;
    } catch (error) {
      log.error("funding evaluation failed", { communityId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const delivered = await deliverInstanceRequests();
  let settled = 0;
  for (const communityId of await unsettledClosedCommunities()) {
    try {
      await settleClosedCommunity(communityId);
      settled += 1;
    } catch (error) {
      log.error("settling a deleted community failed", { communityId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // Only processed ones: a pending or dead-lettered event stays until it is processed.
  await db.stripeEvent.deleteMany({ where: { receivedAt: { lt: new Date(Date.now() - EVENT_RETENTION_MS) }, processedAt: { not: null } } });
  return { evaluated: due.length, transitions, delivered, settled };
}

/** Starts the clock in the worker; returns a stop function. */
export function startFundingClock(): Repeating {
  return repeat("funding clock", runFundingClock, { everyMs: () => env().HEARTH_FUNDING_CLOCK_SECONDS * 1000 });
}
