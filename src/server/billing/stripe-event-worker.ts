// The worker's loop over recorded Stripe events: up to `concurrency` objects at once, each
// object's events one after another (process-stripe-event.ts), an object taken once its events
// have stopped arriving for a moment (findReadyObjects gathers them). It scans the quiet time
// after the webhook's notification (LISTEN) or after objects were held back, whenever an object
// is done and none that the last scan found is left, and, for retries that come due and
// notifications missed, every few seconds.
import "server-only";
import pg from "pg";
import { env } from "@/server/config/env";
import { log } from "@/server/log";
import { findReadyObjects, processObjectEvents, QUIET_MS } from "./process-stripe-event";
import { STRIPE_EVENT_CHANNEL } from "./record-stripe-event";

const POLL_MS = 2_000;
// An object another worker holds is looked at again after this long (its events stay in order).
const BUSY_BACKOFF_MS = 500;
// How many objects a scan finds beyond the free slots, as a multiple of the concurrency.
const LOOKAHEAD = 3;

export type StripeEventWorker = { wake(): void; stop(): Promise<void> };

export function startStripeEventWorker(options: { concurrency?: number; now?: () => Date } = {}): StripeEventWorker {
  const concurrency = options.concurrency ?? env().HEARTH_STRIPE_EVENT_CONCURRENCY;
  const now = options.now ?? (() => new Date());
  const inFlight = new Map<string, Promise<void>>();
  const busyUntil = new Map<string, number>();
  let scanning = false;
  let rescan = false;
  let stopped = false;
  // Set while a scan waits for the quiet time of objects gathering their events.
  let gatherTimer: NodeJS.Timeout | undefined;

  const run = (objectId: string) => {
    const task = processObjectEvents(objectId, now)
      .then(({ last }) => {
        if (last === "busy") busyUntil.set(objectId, Date.now() + BUSY_BACKOFF_MS);
      })
      .catch((error: unknown) => log.error("stripe event processing failed", { objectId, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        inFlight.delete(objectId);
        wake();
      });
    inFlight.set(objectId, task);
  };

  // Objects the last scan found ready, oldest first, that no slot was free for yet: a finishing
  // object takes the next of them instead of scanning again. A scan reads every waiting event,
  // so under a backlog one scan per object finished was most of PostgreSQL's work for the loop.
  // One found stale (another worker did it meanwhile) costs a short transaction that finds it
  // empty or busy.
  let queued: string[] = [];

  const scan = async () => {
    do {
      rescan = false;
      while (queued.length > 0 && inFlight.size < concurrency && !stopped) {
        const objectId = queued.shift()!;
        if (!inFlight.has(objectId)) run(objectId);
      }
      const free = concurrency - inFlight.size;
      if (free <= 0 || stopped) return; // a finishing object wakes the loop again
      const clock = Date.now();
      for (const [id, until] of busyUntil) if (until <= clock) busyUntil.delete(id);
      const { ready, gathering } = await findReadyObjects(now(), free + LOOKAHEAD * concurrency, [...inFlight.keys(), ...busyUntil.keys()]);
      queued = ready;
      while (queued.length > 0 && inFlight.size < concurrency && !stopped) run(queued.shift()!);
      if (gathering) afterQuietTime();
    } while (rescan && !stopped);
  };

  // An event that has just arrived is not ready before the quiet time: a notification asks for
  // a scan then, so a burst of deliveries costs one scan per quiet time rather than one each.
  function afterQuietTime() {
    if (stopped || gatherTimer) return;
    gatherTimer = setTimeout(() => {
      gatherTimer = undefined;
      wake();
    }, QUIET_MS);
    gatherTimer.unref();
  }

  function wake() {
    if (stopped) return;
    if (scanning) {
      rescan = true;
      return;
    }
    scanning = true;
    scan()
      .catch((error: unknown) => log.error("stripe event scan failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        scanning = false;
        if (rescan) wake();
      });
  }

  // LISTEN on a connection of its own; reconnects after a failure (the poll covers the gap).
  let listener: pg.Client | undefined;
  const listen = async () => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: env().DATABASE_URL, application_name: "hearth-stripe-events" });
    client.on("notification", () => afterQuietTime());
    client.on("error", (error) => {
      log.warn("stripe event listener lost its connection", { error: error.message });
      void client.end().catch(() => {});
      if (listener === client) listener = undefined;
      setTimeout(() => void listen().catch(() => {}), POLL_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${STRIPE_EVENT_CHANNEL}`);
    listener = client;
    wake();
  };
  void listen().catch((error: unknown) => {
    log.warn("stripe event listener could not connect; polling", { error: error instanceof Error ? error.message : String(error) });
  });
  const poll = setInterval(wake, POLL_MS);
  wake();

  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(gatherTimer);
      await Promise.allSettled(inFlight.values());
      await listener?.end().catch(() => {});
    },
  };
}

/** Tests and the success page's fallback: processes every event due at `now` until none is left. */
export async function drainStripeEvents(options: { now?: Date; concurrency?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  let processed = 0;
  for (;;) {
    const { ready } = await findReadyObjects(now, options.concurrency ?? 8, [], { gather: false });
    if (ready.length === 0) return processed;
    const results = await Promise.all(ready.map((objectId) => processObjectEvents(objectId, () => now)));
    const done = results.reduce((sum, r) => sum + r.processed, 0);
    processed += done;
    // Only failures and busy objects left: they are not due again before a later `now`.
    if (done === 0 && results.every((r) => r.last !== "empty")) return processed;
  }
}
