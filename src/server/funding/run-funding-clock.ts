// The worker's funding clock: charges hosting months as they come due, ends grace periods,
// delivers instance requests that could not be delivered at once, and forgets webhook
// event ids old enough that Stripe no longer retries them.
import "server-only";
import { db } from "@/server/db/client";
import { env } from "@/server/config/env";
import { log } from "@/server/log";
import { fundingNow } from "./clock";
import { evaluateFunding } from "./evaluate-funding";
import { deliverInstanceRequests } from "./instance-hooks";

const EVENT_RETENTION_MS = 30 * 24 * 3600_000;

export async function runFundingClock(now: Date = fundingNow()) {
  const due = await db.communityFunding.findMany({
    where: {
      OR: [
        { state: "FUNDED", paidThrough: { lte: now } },
        { state: "GRACE", graceEndsAt: { lte: now } },
      ],
    },
    select: { communityId: true },
    take: 1000,
  });
  let transitions = 0;
  for (const { communityId } of due) {
    try {
      if (await db.$transaction((tx) => evaluateFunding(tx, communityId, now))) transitions += 1;
    } catch (error) {
      log.error("funding evaluation failed", { communityId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const delivered = await deliverInstanceRequests();
  // Only processed ones: a pending or dead-lettered event stays until it is processed.
  await db.stripeEvent.deleteMany({ where: { receivedAt: { lt: new Date(Date.now() - EVENT_RETENTION_MS) }, processedAt: { not: null } } });
  return { evaluated: due.length, transitions, delivered };
}

/** Starts the clock in the worker; returns a stop function. */
export function startFundingClock(): { stop: () => Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = runFundingClock()
      .catch((error: unknown) => log.error("funding clock failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, env().HEARTH_FUNDING_CLOCK_SECONDS * 1000);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
