// The worker's restart and export of a tenant, built on provisioning's pieces (its instance
// lock, its health wait). Kept beside provisioning.ts: the one other place that knows how
// provisioning works.
import "server-only";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { env } from "@/server/config/env";
import { describeExport, exportInstance } from "@/server/exports/export-instance";
import { recoverInterruptedRestore, restoreInstance } from "@/server/exports/restore-instance";
import { describeVerification, verifyExport } from "@/server/exports/verify-export";
import { waitHealthy } from "@/server/provisioning/container-io";
import { tenantContainersByComponent } from "@/server/provisioning/docker-objects";
import { BUSY, withInstanceLock } from "@/server/provisioning/instance-lock";
import { LONG_RUNNING } from "@/server/provisioning/templates";

const LOCK_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Data first, so the app processes come back to a database and Redis that are up.
const ORDER = ["db", "redis"];
const rank = (component: string) => (ORDER.includes(component) ? ORDER.indexOf(component) : ORDER.length);

/**
 * Runs `work` under the instance's reconcile lock, so no provisioning run acts on the same
 * containers meanwhile; waits up to a minute for a run in progress to let go.
 */
async function withInstanceQuiet<T>(instanceId: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const outcome = await withInstanceLock(instanceId, work);
    if (outcome !== BUSY) return outcome;
    if (Date.now() > deadline) throw new Error(`A provisioning run held the instance for over a minute; nothing was ${what}. Try again.`);
    await sleep(1_000);
  }
}

/** Restarts the tenant's long-running containers (not one-shot jobs), waiting until each is healthy again. */
export async function restartTenantContainers(communityId: string, progress: (detail: string) => Promise<void>): Promise<string> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true, phase: true, community: { select: { software: true } } } });
  if (!instance) throw new Error("The tenant has no instance any more.");
  return withInstanceQuiet(instance.id, "restarted", async () => {
    const current = await db.instance.findUniqueOrThrow({ where: { id: instance.id }, select: { phase: true, desiredState: true } });
    if (current.phase !== "RUNNING" || current.desiredState !== "RUNNING") {
      throw new Error(`The instance is ${current.phase.toLowerCase()}, not running: nothing was restarted.`);
    }
    const byComponent = await tenantContainersByComponent(docker(), communityId);
    const containers = LONG_RUNNING[instance.community.software]
      .flatMap((component) => byComponent.get(component) ?? [])
      .sort((a, b) => rank(a.component) - rank(b.component));
    if (containers.length === 0) throw new Error("No containers of this tenant were found on the Docker host.");
    for (const c of containers) {
      await progress(`Restarting ${c.component}`);
      await docker().getContainer(c.name).restart({ t: 10 });
      await waitHealthy(docker(), c.name, env().HEARTH_HEALTH_TIMEOUT_SECONDS);
    }
    return `Restarted ${containers.map((c) => c.component).join(", ")}; all healthy again.`;
  });
}

/**
 * Exports the instance into its exports folder (src/server/exports), under the instance lock so
 * that no provisioning run stops or changes it halfway; the same exporter a deletion uses.
 */
export async function exportTenant(communityId: string, progress: (detail: string) => Promise<void>): Promise<string> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  if (!instance) throw new Error("The tenant has no instance any more: nothing was exported.");
  return withInstanceQuiet(instance.id, "exported", async () => describeExport(await exportInstance(communityId, progress)));
}

/** Restores one of the community's archives under the instance lock (see restore-instance.ts). */
export async function restoreTenant(communityId: string, archive: string, progress: (detail: string) => Promise<void>): Promise<string> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  if (!instance) throw new Error("The tenant has no instance any more: nothing was restored.");
  return withInstanceQuiet(instance.id, "restored", () => restoreInstance(communityId, archive, progress));
}

/** A restore whose worker died every time: put the instance back as it was, under the lock. */
export async function abandonRestore(communityId: string): Promise<void> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  if (instance) await withInstanceQuiet(instance.id, "changed", () => recoverInterruptedRestore(communityId));
}

/** Verifies one archive (a throwaway database in the tenant's database container). */
export async function verifyTenantExport(communityId: string, archive: string, progress: (detail: string) => Promise<void>): Promise<string> {
  return describeVerification(archive, await verifyExport(communityId, archive, progress));
}
