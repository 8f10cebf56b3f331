// Two shortcuts around the StripeEvent table, which stays the source of truth:
// - the ids this process has committed recently, so a redelivery is answered from memory;
// - events Hearth does not act on are recorded in batches, one INSERT for many, without
//   waiting for the disk: losing such a row in a crash loses nothing, since nothing was done
//   with it. Unhandled types are about half of what Stripe sends an endpoint that subscribes
//   to everything, so this keeps them from costing a database round trip each.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { log } from "@/server/log";

const REMEMBERED = 20_000;
const recent = new Map<string, true>();

export function knownEvent(id: string): boolean {
  return recent.has(id);
}

/** Only for ids whose row is committed (or, for unhandled ones, queued to be). */
export function rememberEvent(id: string): void {
  recent.set(id, true);
  if (recent.size > REMEMBERED) recent.delete(recent.keys().next().value!);
}

const BATCH = 200;
const FLUSH_AFTER_MS = 100;
let queue: { id: string; type: string }[] = [];
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> = Promise.resolve();

/** Records an unhandled event id; answers whether this process has seen it before. */
export function recordUnhandledEvent(id: string, type: string): "ignored" | "duplicate" {
  if (knownEvent(id)) return "duplicate";
  rememberEvent(id);
  queue.push({ id, type });
  if (queue.length >= BATCH) void flushEventLog();
  else timer ??= setTimeout(() => void flushEventLog(), FLUSH_AFTER_MS);
  return "ignored";
}

/** Writes the queued unhandled event ids (tests and shutdown may call it). */
export function flushEventLog(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  const rows = queue;
  queue = [];
  if (rows.length === 0) return flushing;
  const values = Prisma.join(rows.map((row) => Prisma.sql`(${row.id}, ${row.type})`));
  flushing = flushing
    .then(() =>
      db.$executeRaw`
        WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
        INSERT INTO "StripeEvent" ("id", "type") SELECT v.id, v.type FROM (VALUES ${values}) AS v(id, type), relaxed
        ON CONFLICT ("id") DO NOTHING`,
    )
    .then(
      () => undefined,
      (error: unknown) => log.warn("could not record unhandled stripe events", { count: rows.length, error: String(error) }),
    );
  return flushing;
}
