// Processing of recorded Stripe events, in the worker. The events of one Stripe object are
// processed one at a time in order of arrival (the object's advisory lock, taken without
// waiting: another worker that holds it is already on this object); each is converged by
// re-reading that object from Stripe, and its effects and its processed mark commit in one
// transaction. A failure rolls both back and schedules the next attempt (fail-stripe-event.ts);
// a worker killed mid-event leaves the event unprocessed, so the next one does it, once.
// The object's due events are processed together, in one transaction: events waiting in a row
// with the same target (a subscription's created and updated events, or the events of one of
// its invoices) are converged once, as converging is a re-read of the object's current state;
// each next target is converged after it, in order, as separate transactions would. Under load
// the worker falls behind and more events wait, so it spends fewer transactions per event then.
// A batch commits or fails as a whole. When a later target of a batch fails, the events before
// it are processed again without it (they commit), and the failing one then fails at the head
// of the next batch: a failure is counted against the event that caused it.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { fundingNow } from "@/server/funding/clock";
import { evaluateFunding } from "@/server/funding/evaluate-funding";
import { recordedTarget, type EventTarget } from "./event-target";
import { failStripeEvent } from "./fail-stripe-event";
import { syncChargeRefunds } from "./sync-charge-refunds";
import { syncCheckoutSession } from "./sync-checkout-session";
import { syncSubscription } from "./sync-subscription";

type Tx = Prisma.TransactionClient;

// After a commit that changed some communities' funding: their instance requests are delivered
// (instance-hooks.ts, loaded when first needed). The Stripe event thread hands them to the
// worker's main thread instead, which has provisioning loaded (stripe-event-thread.ts).
type FundingChanged = (communityIds: string[]) => Promise<unknown>;
let fundingChanged: FundingChanged = async (communityIds) => (await import("@/server/funding/instance-hooks")).deliverInstanceRequests(communityIds);

export function onFundingChanged(handler: FundingChanged): void {
  fundingChanged = handler;
}

// The object's lock is already held (taken before its next event is read).
function converge(tx: Tx, target: EventTarget) {
  if (target.kind === "subscription") return syncSubscription(tx, target.id, { invoiceId: target.invoiceId, locked: true });
  if (target.kind === "charge") return syncChargeRefunds(tx, target.id, { locked: true });
  return syncCheckoutSession(tx, target.id);
}

type Head = { id: string; type: string; objectId: string; eventObjectId: string | null; nextAttemptAt: Date };
export type StepOutcome = "processed" | "failed" | "busy" | "waiting" | "empty";

// The most events one transaction takes (each one's row is updated in it), and the most targets
// it converges: each is a read from Stripe inside the transaction, which has a time limit.
const BATCH = 50;
const MAX_TARGETS = 8;

const sameTarget = (a: EventTarget | null, b: EventTarget | null) =>
  a === null ? b === null : b !== null && a.kind === b.kind && a.id === b.id && a.invoiceId === b.invoiceId;

/**
 * Processes the due events at the head of one object's queue (see above); "busy" when another
 * worker holds the object, "waiting" when its next event waits for a retry, "empty" when none
 * is left. `processed` is how many events were; `more` says whether another event of the object
 * was waiting behind them (one read tells both, so a run does not end with a transaction that
 * only finds nothing). `runsLimit` limits the batch to its first runs of one target each.
 */
export async function processNextEvent(
  objectId: string,
  now: Date = new Date(),
  options: { runsLimit?: number } = {},
): Promise<{ step: StepOutcome; processed: number; more: boolean }> {
  let head: Head | undefined;
  let runs = 0;
  // The run whose target was being converged when the transaction failed.
  let failingRun: number | undefined;
  let outcome: { step: StepOutcome; changed: string[]; processed: number; more: boolean };
  try {
    outcome = await db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtextextended(${objectId}, 0)) AS "locked"`;
        if (!lock?.locked) return { step: "busy" as const, changed: [], processed: 0, more: false };
        // Only the ids the target needs, not the payload (state is re-read from Stripe).
        const heads = await tx.$queryRaw<Head[]>`
          SELECT "id", "type", "objectId", "payload" #>> '{data,object,id}' AS "eventObjectId", "nextAttemptAt" FROM "StripeEvent"
          WHERE "objectId" = ${objectId} AND "processedAt" IS NULL AND "deadAt" IS NULL
          ORDER BY "receivedAt", "id" LIMIT ${BATCH + 1}`;
        head = heads[0];
        if (!head) return { step: "empty" as const, changed: [], processed: 0, more: false };
        if (head.nextAttemptAt > now) {
          head = undefined;
          return { step: "waiting" as const, changed: [], processed: 0, more: false };
        }
        // The due events from the head on, as runs of one target each (null: nothing to converge).
        const targets: { target: EventTarget; run: number }[] = [];
        let taken = 0;
        for (const row of heads.slice(0, BATCH)) {
          if (row.nextAttemptAt > now) break;
          const target = recordedTarget(row);
          const newRun = taken === 0 || !sameTarget(recordedTarget(heads[taken - 1]!), target);
          if (newRun && taken > 0 && (runs === options.runsLimit || (target && targets.length === MAX_TARGETS))) break;
          if (newRun && target) targets.push({ target, run: runs });
          if (newRun) runs += 1;
          taken += 1;
        }
        // A target met twice (a subscription's own events before and after its invoice's) is
        // converged once, at its last place: the reads are made one after another, after all
        // these events arrived, so an earlier converge would see nothing the last one does not.
        const once = targets.filter(({ target }, i) => !targets.slice(i + 1).some((later) => sameTarget(target, later.target)));
        const changed = new Set<string>();
        for (const { target, run } of once) {
          failingRun = run;
          const affected = await converge(tx, target);
          // Funding depends on the ledger and the clock only: no new entry, nothing to evaluate.
          if (affected?.ledgerChanged && (await evaluateFunding(tx, affected.communityId, fundingNow()))) changed.add(affected.communityId);
        }
        failingRun = undefined;
        const ids = heads.slice(0, taken).map((h) => h.id);
        // One moment for the batch (clock_timestamp() per row would order them at random).
        await tx.$executeRaw`
          UPDATE "StripeEvent" SET "processedAt" = (SELECT clock_timestamp()), "attempts" = "attempts" + 1, "lastError" = NULL
          WHERE "id" = ANY(${ids}::text[])`;
        return { step: "processed" as const, changed: [...changed], processed: taken, more: heads.length > taken };
      },
      // Stripe is read inside the transaction (under the object's lock): allow for its latency.
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (error) {
    if (!head) throw error;
    // The runs before the failing one commit without it; not known which (rare): the head's alone.
    if (failingRun !== undefined && failingRun > 0) return processNextEvent(objectId, now, { runsLimit: failingRun });
    if (failingRun === undefined && runs > 1) return processNextEvent(objectId, now, { runsLimit: 1 });
    await failStripeEvent(head, error, now);
    return { step: "failed", processed: 0, more: false };
  }
  if (outcome.changed.length > 0) await fundingChanged(outcome.changed);
  return { step: outcome.step, processed: outcome.processed, more: outcome.more };
}

/**
 * Processes the object's due events in order until none is due; returns how many were
 * processed. An event that arrives for the object meanwhile is found by the worker's next scan
 * (it scans again whenever a run ends).
 */
export async function processObjectEvents(objectId: string, now: () => Date = () => new Date()): Promise<{ processed: number; last: StepOutcome }> {
  let processed = 0;
  for (;;) {
    const next = await processNextEvent(objectId, now());
    if (next.step !== "processed") return { processed, last: next.step };
    processed += next.processed;
    if (!next.more) return { processed, last: "empty" };
  }
}

// The worker gathers: an object is taken once none of its events has arrived for QUIET_MS (or
// its oldest has waited GATHER_MAX_MS). Stripe sends the events of one change in quick
// succession (after a checkout: the subscription created and updated, its invoice paid), so
// they are converged in one transaction instead of one each; under a burst that
// halves the worker's CPU per event, which goes to answering deliveries instead. The cost is
// half a second before a payment is processed, which the success page waits for anyway.
export const QUIET_MS = 500;
const GATHER_MAX_MS = 3_000;

/**
 * Objects whose oldest unprocessed event is due at `now`, oldest first; `exclude` are objects
 * this worker is already on. An object whose oldest event waits for a retry waits as a whole.
 * `gathering` says that an object is held back to gather (see above) when fewer than `limit`
 * are ready (otherwise a finishing object brings the next scan anyway); `gather: false`
 * (callers that must see everything due processed now) holds nothing back.
 */
export async function findReadyObjects(
  now: Date,
  limit: number,
  exclude: string[] = [],
  options: { gather?: boolean } = {},
): Promise<{ ready: string[]; gathering: boolean }> {
  const rows = await db.$queryRaw<{ objectId: string; gathered: boolean }[]>`
    SELECT "objectId", "gathered" FROM (
      SELECT "objectId", "receivedAt", "nextAttemptAt",
        (${options.gather === false} OR "newest" <= ${new Date(now.getTime() - QUIET_MS)} OR "receivedAt" <= ${new Date(now.getTime() - GATHER_MAX_MS)}) AS "gathered"
      FROM (
        SELECT DISTINCT ON ("objectId") "objectId", "receivedAt", "nextAttemptAt",
          max("receivedAt") OVER (PARTITION BY "objectId") AS "newest"
        FROM "StripeEvent"
        WHERE "processedAt" IS NULL AND "deadAt" IS NULL AND "objectId" IS NOT NULL
          AND NOT ("objectId" = ANY(${exclude}::text[]))
        ORDER BY "objectId", "receivedAt", "id"
      ) AS heads
    ) AS due
    WHERE "nextAttemptAt" <= ${now}
    -- The ready ones, oldest first; one held back after them tells the worker to look again.
    ORDER BY "gathered" DESC, "receivedAt"
    LIMIT ${limit + 1}`;
  const ready = rows.filter((row) => row.gathered).slice(0, limit).map((row) => row.objectId);
  return { ready, gathering: rows.some((row) => !row.gathered) };
}

/**
 * Where a caller must see some objects' events processed before it goes on (the demo clock
 * renews subscriptions, then runs the funding rules): processes their due events here, or
 * waits while a worker holds one, until none is left or `timeoutMs` has passed.
 */
export async function processEventsOf(objectIds: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const id of objectIds) await processObjectEvents(id);
    const [left] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "StripeEvent"
      WHERE "objectId" = ANY(${objectIds}::text[]) AND "processedAt" IS NULL AND "deadAt" IS NULL AND "nextAttemptAt" <= now()`;
    if (!left || left.n === 0n || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
