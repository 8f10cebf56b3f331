// A worker process that runs only the Stripe event loop (the same startStripeEventWorker the
// real worker starts, at its priority), for the kill test and the webhook benchmark. Provisioning is left out:
// instance requests are logged, not delivered. Reads DATABASE_URL and STRIPE_EMULATOR_URL.
// Prints "stripe event worker ready" once listening; SIGTERM stops it in an orderly way.
import { replaceInstanceDriverForTests } from "@/server/funding/instance-hooks";
import { startStripeEventWorker } from "@/server/billing/stripe-event-worker";
import { db } from "@/server/db/client";
import { applyWorkerPriority } from "@/server/worker/priority";

// At the real worker's priority (HEARTH_WORKER_NICENESS), as deployed.
applyWorkerPriority();
replaceInstanceDriverForTests(async () => {});
const worker = startStripeEventWorker();
console.log("stripe event worker ready");
process.on("SIGTERM", () => {
  void worker
    .stop()
    .then(() => db.$disconnect())
    .finally(() => process.exit(0));
});
