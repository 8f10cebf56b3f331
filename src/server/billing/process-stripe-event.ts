// Processing of recorded Stripe events, in the worker. The events of one Stripe object are
// processed one at a time in order of arrival (the object's advisory lock, taken without
// waiting: another worker that holds it is already on this object); each is converged by
// re-reading that object from Stripe, and its effects and its processed mark commit in one
// transaction. A failure rolls both back and schedules the next attempt (fail-stripe-event.ts);
// a worker killed mid-event leaves the event unprocessed, so the next one does it, once.
// Events waiting in a row with the same target (a subscription's created and updated events, or
// the events of one of its invoices) are processed together: converging is a re-read of the
// object's current state, so converging once is what converging for each of them in turn
// gives, at a fraction of the reads and statements. They commit, or fail (the first of them
// counted as the failed one), together.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { fundingNow } from "@/server/funding/clock";
import { evaluateFunding } from "@/server/funding/evaluate-funding";
import { deliverInstanceRequests } from "@/server/funding/instance-hooks";
import { recordedTarget, type EventTarget } from "./event-target";
import { failStripeEvent } from "./fail-stripe-event";
import { syncChargeRefunds } from "./sync-charge-refunds";
import { syncCheckoutSession } from "./sync-checkout-session";
import { syncSubscription } from "./sync-subscription";

type Tx = Prisma.TransactionClient;

// The object's lock is already held (taken before its next event is read).
function converge(tx: Tx, target: EventTarget) {
  if (target.kind === "subscription") return syncSubscription(tx, target.id, { invoiceId: target.invoiceId, locked: true });
  if (target.kind === "charge") return syncChargeRefunds(tx, target.id, { locked: true });
  return syncCheckoutSession(tx, target.id);
}

type Head = { id: string; type: string; objectId: string; eventObjectId: string | null; nextAttemptAt: Date };
export type StepOutcome = "processed" | "failed" | "busy" | "waiting" | "empty";

// The most events one transaction takes (each one's row is updated in it).
const BATCH = 50;

const sameTarget = (a: EventTarget | null, b: EventTarget | null) =>
  a === null ? b === null : b !== null && a.kind === b.kind && a.id === b.id && a.invoiceId === b.invoiceId;

/**
 * Processes the next event of one object if it is due at `now`, with the due events right
 * behind it that have the same target; "busy" when another worker holds the object, "waiting"
 * when its next event waits for a retry, "empty" when none is left. `processed` is how many
 * events were; `more` says whether another event of the object was waiting behind them (one
 * read tells both, so a run does not end with a transaction that only finds nothing).
 */
export async function processNextEvent(objectId: string, now: Date = new Date()): Promise<{ step: StepOutcome; processed: number; more: boolean }> {
  let head: Head | undefined;
  let outcome: { step: StepOutcome; changed: string | null; processed: number; more: boolean };
  try {
    outcome = await db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtextextended(${objectId}, 0)) AS "locked"`;
        if (!lock?.locked) return { step: "busy" as const, changed: null, processed: 0, more: false };
        // Only the ids the target needs, not the payload (state is re-read from Stripe).
        const heads = await tx.$queryRaw<Head[]>`
          SELECT "id", "type", "objectId", "payload" #>> '{data,object,id}' AS "eventObjectId", "nextAttemptAt" FROM "StripeEvent"
          WHERE "objectId" = ${objectId} AND "processedAt" IS NULL AND "deadAt" IS NULL
          ORDER BY "receivedAt", "id" LIMIT ${BATCH + 1}`;
        head = heads[0];
        if (!head) return { step: "empty" as const, changed: null, processed: 0, more: false };
        if (head.nextAttemptAt > now) {
          head = undefined;
          return { step: "waiting" as const, changed: null, processed: 0, more: false };
        }
        const target = recordedTarget(head);
        let taken = 1;
        while (taken < Math.min(heads.length, BATCH) && heads[taken]!.nextAttemptAt <= now && sameTarget(target, recordedTarget(heads[taken]!))) taken += 1;
        let changed: string | null = null;
        if (target) {
          const affected = await converge(tx, target);
          // Funding depends on the ledger and the clock only: no new entry, nothing to evaluate.
          if (affected?.ledgerChanged && (await evaluateFunding(tx, affected.communityId, fundingNow()))) changed = affected.communityId;
        }
        const ids = heads.slice(0, taken).map((h) => h.id);
        // One moment for the batch (clock_timestamp() per row would order them at random).
        await tx.$executeRaw`
          UPDATE "StripeEvent" SET "processedAt" = (SELECT clock_timestamp()), "attempts" = "attempts" + 1, "lastError" = NULL
          WHERE "id" = ANY(${ids}::text[])`;
        return { step: "processed" as const, changed, processed: taken, more: heads.length > taken };
      },
      // Stripe is read inside the transaction (under the object's lock): allow for its latency.
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (error) {
    if (!head) throw error;
    await failStripeEvent(head, error, now);
    return { step: "failed", processed: 0, more: false };
  }
  if (outcome.changed) await deliverInstanceRequests([outcome.changed]);
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

/**
 * Objects whose oldest unprocessed event is due at `now`, oldest first; `exclude` are objects
 * this worker is already on. An object whose oldest event waits for a retry waits as a whole.
 */
export async function findReadyObjects(now: Date, limit: number, exclude: string[] = []): Promise<string[]> {
  const rows = await db.$queryRaw<{ objectId: string }[]>`
    SELECT "objectId" FROM (
      SELECT DISTINCT ON ("objectId") "objectId", "receivedAt", "nextAttemptAt"
      FROM "StripeEvent"
      WHERE "processedAt" IS NULL AND "deadAt" IS NULL AND "objectId" IS NOT NULL
        AND NOT ("objectId" = ANY(${exclude}::text[]))
      ORDER BY "objectId", "receivedAt", "id"
    ) AS heads
    WHERE "nextAttemptAt" <= ${now}
    ORDER BY "receivedAt"
    LIMIT ${limit}`;
  return rows.map((row) => row.objectId);
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
