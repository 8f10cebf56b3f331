// The webhook's only write: the verified event, once. The row is also the queue entry of its
// processing (processedAt null), so recording and enqueueing are one statement, one
// transaction. A redelivery inserts nothing and changes nothing. Events Hearth does not act on
// are recorded as processed.
// Every delivery runs this, so it is one named (prepared once per connection) statement on the
// pg pool under Prisma: Prisma's own work per query cost more CPU than the insert itself.
// The worker is woken after the commit by a notification sent apart from the insert (a NOTIFY
// inside it would serialise every committing delivery on PostgreSQL's notification lock),
// at most one at a time: a burst of deliveries sends a few, not one each. A wake-up that is
// lost (the process dies first) costs the worker's next poll, never the event.
import "server-only";
import { sqlPool } from "@/server/db/client";
import { log } from "@/server/log";
import { targetOf } from "./event-target";

export const STRIPE_EVENT_CHANNEL = "hearth_stripe_events";

export type RecordOutcome = "queued" | "ignored" | "duplicate";

const RECORD = {
  name: "hearth_record_stripe_event",
  text: `INSERT INTO "StripeEvent" ("id", "type", "objectId", "payload", "processedAt")
    VALUES ($1, $2, $3::text, $4::jsonb, CASE WHEN $3::text IS NULL THEN now() END)
    ON CONFLICT ("id") DO NOTHING
    RETURNING ("objectId" IS NOT NULL) AS "queued"`,
};

export async function recordStripeEvent(event: { id: string; type: string; data: { object: unknown } }, payload: string): Promise<RecordOutcome> {
  const objectId = targetOf(event)?.id ?? null;
  const { rows } = await sqlPool().query<{ queued: boolean }>({ ...RECORD, values: [event.id, event.type, objectId, payload] });
  const [row] = rows;
  if (!row) return "duplicate";
  if (!row.queued) return "ignored";
  wakeStripeEventWorker();
  return "queued";
}

let notifying = false;
let again = false;

/** NOTIFY the worker; while one is on its way, one more is sent after it (never one per call). */
function wakeStripeEventWorker(): void {
  if (notifying) {
    again = true;
    return;
  }
  notifying = true;
  again = false;
  sqlPool()
    .query({ name: "hearth_wake_stripe_events", text: "SELECT pg_notify($1, '')", values: [STRIPE_EVENT_CHANNEL] })
    .catch((error: unknown) => log.warn("stripe event worker not woken; it polls", { error: error instanceof Error ? error.message : String(error) }))
    .finally(() => {
      notifying = false;
      if (again) wakeStripeEventWorker();
    });
}
