// The background worker: one process beside the web app. It heartbeats into the database and
// runs the provisioning job queue and reconcile loop, the metrics collector, the funding
// clock, the Stripe events the webhook recorded (and their reconciliation with Stripe), the
// host admins' operations and the mail outbox, the re-check of own domains, the purge of old
// rate-limit and session rows, and the expiry of abandoned move-in uploads.
import { env, ConfigError } from "@/server/config/env";
import { db } from "@/server/db/client";
import { beat, markStopped, pruneHeartbeats, workerId } from "@/server/worker/heartbeat";
import { repeat } from "@/server/worker/repeat";
import { applyWorkerPriority } from "@/server/worker/priority";
import { log } from "@/server/log";
import { startCollector } from "@/server/metrics/start-collector";
import { startProvisioningWorker } from "@/server/provisioning/worker";
import { startFundingClock } from "@/server/funding/run-funding-clock";
import { startOperationsLoop } from "@/server/admin/operations/run-operation";
import { registerExporter } from "@/server/exports/register-exporter";
import { registerMoveIn } from "@/server/exports/restore-move-in";
import { startStripeEvents } from "@/server/billing/stripe-event-thread";
import { startStripeReconciliation } from "@/server/billing/reconcile-stripe";
import { startVerificationSchedule } from "@/server/exports/schedule-verifications";
import { startMailLoop } from "@/server/mail/start-mail-loop";
import { startSecurityPurge } from "@/server/housekeeping/purge-security-rows";
import { startUploadExpiry } from "@/server/exports/expire-uploads";
import { checkImageAvailability } from "@/server/provisioning/image-availability";
import { startDomainRecheck } from "@/server/domains";

async function main() {
  const config = env();
  // HEARTH_WORKER_NICENESS; the Stripe event thread's own is below (src/server/worker/priority.ts).
  applyWorkerPriority();
  const startedAt = new Date();
  const id = workerId(startedAt);
  await beat(id, startedAt);
  log.info("worker started", { id, heartbeatSeconds: config.WORKER_HEARTBEAT_SECONDS });
  await pruneHeartbeats(new Date(Date.now() - 24 * 3600_000));
  // Before the queue starts: a deletion that asks for an export must find the exporter.
  registerExporter();
  registerMoveIn();
  const provisioning = await startProvisioningWorker();
  const fundingClock = startFundingClock();
  // Stripe events the webhook recorded, and the job that repairs what lost events left out. On
  // a thread of its own when it is to run at a lower priority than the rest (the thread costs
  // about 120 MB; src/server/worker/priority.ts).
  const stripeEvents = startStripeEvents();
  const reconciliation = startStripeReconciliation();
  // Restarts and exports a host admin asked for (src/server/admin/operations).
  const operations = startOperationsLoop();
  // The newest archive of each community is verified weekly (a VERIFY job for the loop above).
  const verifications = startVerificationSchedule();
  // The outbox: account mail, invitations, funding and load notices (src/server/mail).
  const mail = startMailLoop();

  const heartbeatMs = config.WORKER_HEARTBEAT_SECONDS * 1000;
  const heartbeat = repeat("heartbeat", () => beat(id, startedAt), { everyMs: () => heartbeatMs, firstAfterMs: heartbeatMs, stopWaitMs: 5_000 });
  const collector = startCollector();
  // Rate-limit hits and ended sessions (src/server/housekeeping).
  const purge = startSecurityPurge();
  // Move-in uploads left unfinished for a week, or whose community can no longer move in.
  const uploads = startUploadExpiry();
  // Verified own domains looked up again; admins mailed when one stops pointing here.
  const domains = startDomainRecheck();
  // Which configured images the engine has or can pull: the start form refuses the rest.
  void checkImageAvailability()
    .then((checked) => {
      const missing = checked.images.filter((i) => !i.present && !i.pullable).map((i) => i.image);
      if (missing.length) log.warn("images not available on the Docker engine", { missing });
    })
    .catch((error: unknown) => log.warn("image availability check failed", { error: String(error) }));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker stopping", { signal });
    try {
      await heartbeat.stop();
      await purge.stop();
      await uploads.stop();
      await collector.stop();
      await verifications.stop();
      await domains.stop();
      await operations.stop();
      await provisioning.stop();
      await fundingClock.stop();
      await stripeEvents.stop();
      await reconciliation.stop();
      await mail.stop();
      await markStopped(id);
    } finally {
      await db.$disconnect();
    }
    log.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    log.error("worker failed to start", { error: error instanceof Error ? error.message : String(error) });
  }
  process.exit(1);
});
