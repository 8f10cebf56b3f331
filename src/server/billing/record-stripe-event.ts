// The webhook's only write: the verified event, once. The row is also the queue entry of its
// processing (processedAt null), so recording and enqueueing are one statement, one
// transaction; the notification wakes the worker when it commits. A redelivery inserts
// nothing and changes nothing. Events Hearth does not act on are recorded as processed.
import "server-only";
import { db } from "@/server/db/client";
import { targetOf } from "./event-target";

export const STRIPE_EVENT_CHANNEL = "hearth_stripe_events";

export type RecordOutcome = "queued" | "ignored" | "duplicate";

export async function recordStripeEvent(event: { id: string; type: string; data: { object: unknown } }, payload: string): Promise<RecordOutcome> {
  const objectId = targetOf(event)?.id ?? null;
  const rows = await db.$queryRaw<{ queued: boolean }[]>`
    WITH inserted AS (
      INSERT INTO "StripeEvent" ("id", "type", "objectId", "payload", "processedAt")
      VALUES (${event.id}, ${event.type}, ${objectId}, ${payload}::jsonb, CASE WHEN ${objectId}::text IS NULL THEN now() END)
      ON CONFLICT ("id") DO NOTHING
      RETURNING "objectId"
    )
    SELECT ("objectId" IS NOT NULL) AS "queued",
           CASE WHEN "objectId" IS NOT NULL THEN pg_notify(${STRIPE_EVENT_CHANNEL}, '')::text END AS "notified"
    FROM inserted`;
  const [row] = rows;
  if (!row) return "duplicate";
  return row.queued ? "queued" : "ignored";
}
