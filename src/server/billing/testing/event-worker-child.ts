// A worker process that runs only the Stripe event loop, on its thread at its priority as the
// real worker runs it (stripe-event-thread.ts), for the kill test and the webhook benchmark.
// Provisioning is left out: instance requests are dropped. Reads DATABASE_URL and
// STRIPE_EMULATOR_URL. Prints "stripe event worker ready" once listening; SIGTERM stops it in
// an orderly way.
import { startStripeEventThread } from "@/server/billing/stripe-event-thread";
import { replaceInstanceDriverForTests } from "@/server/funding/instance-hooks";
import { applyWorkerPriority } from "@/server/worker/priority";

applyWorkerPriority();
replaceInstanceDriverForTests(async () => {});
const events = startStripeEventThread();
await events.ready;
console.log("stripe event worker ready");
process.on("SIGTERM", () => {
  void events.stop().finally(() => process.exit(0));
});
