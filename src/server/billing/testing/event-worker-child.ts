// A worker process that runs only the Stripe event loop, started as the real worker starts it
// (stripe-event-thread.ts: on its thread at its priority, or on the main thread), for the kill test and the webhook benchmark.
// Provisioning is left out: instance requests are dropped. Reads DATABASE_URL and
// STRIPE_EMULATOR_URL. Prints "stripe event worker ready" once listening; SIGTERM stops it in
// an orderly way.
import { startStripeEvents } from "@/server/billing/stripe-event-thread";
import { replaceInstanceDriverForTests } from "@/server/funding/instance-hooks";
import { applyWorkerPriority } from "@/server/worker/priority";

applyWorkerPriority();
replaceInstanceDriverForTests(async () => {});
const events = startStripeEvents();
await events.ready;
console.log("stripe event worker ready");
process.on("SIGTERM", () => {
  void events.stop().finally(() => process.exit(0));
});
