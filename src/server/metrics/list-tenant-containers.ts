// This installation's containers, found only by Hearth's labels: other installations
// and test runs share the engine.
import "server-only";
import { docker } from "@/server/docker/client";
import { LABEL, labelFilters } from "@/server/docker/labels";

export type TenantContainer = {
  id: string;
  tenantId: string;
  component: string;
  /** Docker's state: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  /** Its health check is failing (Docker's "unhealthy"). */
  unhealthy: boolean;
  /** It shares the host's network namespace: its traffic cannot be told apart. */
  hostNetwork: boolean;
};

export async function listTenantContainers(): Promise<TenantContainer[]> {
  const filters = await labelFilters();
  // Two listings instead of one inspect per container: the second asks dockerd which of
  // them fail their health check.
  const abortSignal = AbortSignal.timeout(10_000); // a stuck engine must not stop the collector
  const [all, unhealthy] = await Promise.all([
    docker().listContainers({ all: true, filters, abortSignal }),
    docker().listContainers({ filters: { ...filters, health: ["unhealthy"] }, abortSignal }),
  ]);
  const failing = new Set(unhealthy.map((c) => c.Id));
  return all.flatMap((c) => {
    const tenantId = c.Labels?.[LABEL.tenant];
    if (!tenantId) return [];
    return [
      {
        id: c.Id,
        tenantId,
        component: c.Labels?.[LABEL.component] ?? "unknown",
        state: c.State,
        unhealthy: failing.has(c.Id),
        hostNetwork: c.HostConfig?.NetworkMode === "host",
      },
    ];
  });
}
