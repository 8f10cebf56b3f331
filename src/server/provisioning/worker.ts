// The provisioning half of the worker process: handles reconcile jobs and sweeps every
// HEARTH_RECONCILE_INTERVAL_SECONDS (first thing at start, which is what resumes the work of a
// worker that was killed).
import "server-only";
import type { Job } from "pg-boss";
import { env } from "@/server/config/env";
import { log } from "@/server/log";
import { enqueueReconcile, queue, RECONCILE_QUEUE, stopQueue, type ReconcileJob } from "./queue";
import { reconcileInstance } from "./reconcile-instance";
import { sweep } from "./sweep";
import { repeat } from "@/server/worker/repeat";
import { ingressEnabled, reconcileIngress } from "@/server/provisioning/ingress/reconcile-ingress";

async function handle([job]: Job<ReconcileJob>[]) {
  if (!job) return;
  const { instanceId } = job.data;
  const result = await reconcileInstance(instanceId);
  // Failed runs come back at their retry time (and, once in error, at the error-retry time).
  if (result.outcome === "retry" || result.outcome === "failed") await enqueueReconcile(instanceId, result.at);
  return result;
}

export async function startProvisioningWorker(): Promise<{ stop: () => Promise<void> }> {
  const config = env();
  const boss = await queue("worker");
  await boss.work<ReconcileJob>(
    RECONCILE_QUEUE,
    { localConcurrency: 4, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 10 },
    handle,
  );

  const sweeping = repeat(
    "sweep",
    async () => {
      const { enqueued, reaped } = await sweep();
      if (enqueued.length || reaped) log.info("sweep", { enqueued: enqueued.length, reaped });
      // The ingress is swept like a tenant: recreated when missing or drifted, routes re-applied.
      if (ingressEnabled(config)) await reconcileIngress();
    },
    { everyMs: () => config.HEARTH_RECONCILE_INTERVAL_SECONDS * 1000 },
  );

  return {
    stop: async () => {
      await sweeping.stop();
      await stopQueue();
    },
  };
}
