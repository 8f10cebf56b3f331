// The worker's restart and export of a tenant, built on provisioning's pieces (its instance
// lock, its health wait). Kept beside provisioning.ts: the one other place that knows how
// provisioning works.
import "server-only";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { LABEL, labelFilters } from "@/server/docker/labels";
import { env } from "@/server/config/env";
import { waitHealthy } from "@/server/provisioning/container-io";
import { BUSY, withInstanceLock } from "@/server/provisioning/instance-lock";
import { LONG_RUNNING } from "@/server/provisioning/templates";

const LOCK_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Data first, so the app processes come back to a database and Redis that are up.
const ORDER = ["db", "redis"];
const rank = (component: string) => (ORDER.includes(component) ? ORDER.indexOf(component) : ORDER.length);

/**
 * Restarts the tenant's long-running containers (not one-shot jobs) and waits until each is
 * healthy again. Holds the instance's reconcile lock meanwhile, so no provisioning run acts
 * on the same containers; waits up to a minute for a run in progress to let go.
 */
export async function restartTenantContainers(communityId: string, progress: (detail: string) => Promise<void>): Promise<string> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true, phase: true, community: { select: { software: true } } } });
  if (!instance) throw new Error("The tenant has no instance any more.");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const outcome = await withInstanceLock(instance.id, async () => {
      const current = await db.instance.findUniqueOrThrow({ where: { id: instance.id }, select: { phase: true, desiredState: true } });
      if (current.phase !== "RUNNING" || current.desiredState !== "RUNNING") {
        throw new Error(`The instance is ${current.phase.toLowerCase()}, not running: nothing was restarted.`);
      }
      const wanted = new Set(LONG_RUNNING[instance.community.software]);
      const containers = (await docker().listContainers({ all: true, filters: await labelFilters(communityId) }))
        .map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ""), component: c.Labels[LABEL.component] ?? "" }))
        .filter((c) => wanted.has(c.component))
        .sort((a, b) => rank(a.component) - rank(b.component));
      if (containers.length === 0) throw new Error("No containers of this tenant were found on the Docker host.");
      for (const c of containers) {
        await progress(`Restarting ${c.component}`);
        await docker().getContainer(c.id).restart({ t: 10 });
        await waitHealthy(docker(), c.name, env().HEARTH_HEALTH_TIMEOUT_SECONDS);
      }
      return `Restarted ${containers.map((c) => c.component).join(", ")}; all healthy again.`;
    });
    if (outcome !== BUSY) return outcome;
    if (Date.now() > deadline) throw new Error("A provisioning run held the instance for over a minute; nothing was restarted. Try again.");
    await sleep(1_000);
  }
}

/**
 * Export. Provisioning has no exporter yet (its export hook, export-hook.ts, waits for the
 * export issue), so this records the request and ends as "not available". It never pretends.
 */
export async function exportTenant(communityId: string, progress: (detail: string) => Promise<void>): Promise<string> {
  void communityId;
  await progress("Looking for an exporter");
  throw new Error("Exports are not available on this Hearth yet: nothing was exported. The request is kept here and in the audit log.");
}
