// The Stripe event thread's entry (started by stripe-event-thread.ts): lowers its own priority
// and V8's helper threads' (src/server/worker/priority.ts), runs the event loop, hands funding
// changes to the main thread, and on "stop" finishes the events in hand and closes its
// connections.
import "server-only";
import { parentPort, workerData } from "node:worker_threads";
import { db } from "@/server/db/client";
import { lowerThisThread, lowerV8HelperThreads } from "@/server/worker/priority";
import { onFundingChanged } from "./process-stripe-event";
import type { FromThread, ThreadData, ToThread } from "./stripe-event-thread";
import { startStripeEventWorker } from "./stripe-event-worker";

if (!parentPort) throw new Error("stripe-event-thread-main runs as a worker thread");
const port = parentPort;
lowerThisThread((workerData as ThreadData).niceness);
lowerV8HelperThreads((workerData as ThreadData).niceness);
onFundingChanged(async (communityIds) => port.postMessage({ kind: "funding-changed", communityIds } satisfies FromThread));
const loop = startStripeEventWorker();
port.on("message", (message: ToThread) => {
  if (message.kind === "wake") loop.wake();
  if (message.kind === "stop") {
    void loop
      .stop()
      .then(() => db.$disconnect())
      // In a worker thread this ends the thread, not the process.
      .finally(() => process.exit(0));
  }
});
port.postMessage({ kind: "ready" } satisfies FromThread);
