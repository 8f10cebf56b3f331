// The admin's restart of a tenant (a job the worker runs): its long-running containers, data
// first, under the instance lock so that no provisioning run acts on them meanwhile.
import "server-only";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { waitHealthy } from "./container-io";
import { tenantContainersByComponent } from "./docker-objects";
import { withInstanceQuiet } from "./instance-lock";
import { LONG_RUNNING } from "./templates";

// Data first, so the app processes come back to a database and Redis that are up.
const ORDER = ["db", "redis"];
const rank = (component: string) => (ORDER.includes(component) ? ORDER.indexOf(component) : ORDER.length);

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
