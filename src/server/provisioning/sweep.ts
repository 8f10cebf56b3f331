// The periodic sweep (and the worker's first act after a restart): one listing of this
// installation's Docker objects, then a reconcile job for every instance that has work to do
// (a new desired state, a run interrupted by a crash, a retry that is due, or drift), then the
// reaper. Jobs are deduplicated, so sweeping often costs nothing.
import "server-only";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { LABEL, labelFilters } from "@/server/docker/labels";
import { listLabelled } from "./docker-objects";
import { driftRun, observedContainers } from "./observe";
import { enqueueReconcile } from "./queue";
import { reapOrphans } from "./reap-orphans";

export async function sweep(now = new Date()): Promise<{ enqueued: string[]; reaped: number }> {
  const objects = await listLabelled(docker(), await labelFilters());
  const containers = observedContainers(objects.containers);
  const others = new Map<string, number>();
  for (const o of [...objects.networks, ...objects.volumes]) {
    const tenant = o.Labels?.[LABEL.tenant];
    if (tenant) others.set(tenant, (others.get(tenant) ?? 0) + 1);
  }

  const instances = await db.instance.findMany({
    select: {
      id: true,
      communityId: true,
      desiredState: true,
      desiredGeneration: true,
      appliedGeneration: true,
      phase: true,
      community: { select: { software: true } },
      runs: { orderBy: { seq: "desc" }, take: 1, select: { state: true, generation: true, nextAttemptAt: true } },
    },
  });
  const due: string[] = [];
  for (const instance of instances) {
    const [latest] = instance.runs;
    const waiting =
      latest?.generation === instance.desiredGeneration &&
      (latest.state === "WAITING_RETRY" || latest.state === "FAILED") &&
      latest.nextAttemptAt !== null &&
      latest.nextAttemptAt > now;
    if (waiting) continue;
    const interrupted = latest?.state === "RUNNING";
    const retryDue = latest?.state === "WAITING_RETRY" || latest?.state === "FAILED";
    const behind = instance.appliedGeneration < instance.desiredGeneration;
    const drifted =
      !behind &&
      driftRun(
        { desiredState: instance.desiredState, phase: instance.phase, software: instance.community.software },
        containers.get(instance.communityId) ?? [],
        others.get(instance.communityId) ?? 0,
      ) !== null;
    if (behind || interrupted || (retryDue && latest?.generation === instance.desiredGeneration) || drifted) {
      due.push(instance.id);
    }
  }
  for (const id of due) await enqueueReconcile(id);
  return { enqueued: due, reaped: await reapOrphans(objects) };
}
