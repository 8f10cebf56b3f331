// Sums one sweep's container readings per tenant (the hearth.tenant label) and turns
// cumulative counters into rates against the previous reading of each container.
import { addRates, computeRates, zeroRates, type ContainerCounters, type ContainerRates } from "./counters";
import type { TenantContainer } from "./list-tenant-containers";

export type TenantFigures = {
  tenantId: string;
  containersRunning: number;
  containersTotal: number;
  failing: string[];
  /** Containers with a reading this sweep / with a rate (a reading before this one too). */
  measured: number;
  rated: number;
  memoryBytes: number;
  rates: ContainerRates;
};

export function emptyFigures(tenantId: string): TenantFigures {
  return { tenantId, containersRunning: 0, containersTotal: 0, failing: [], measured: 0, rated: 0, memoryBytes: 0, rates: zeroRates };
}

export function aggregateTenants(
  containers: readonly TenantContainer[],
  current: ReadonlyMap<string, ContainerCounters>,
  previous: ReadonlyMap<string, ContainerCounters>,
  maxGapMs: number,
): Map<string, TenantFigures> {
  const tenants = new Map<string, TenantFigures>();
  for (const c of containers) {
    const t = tenants.get(c.tenantId) ?? emptyFigures(c.tenantId);
    tenants.set(c.tenantId, t);
    t.containersTotal += 1;
    if (c.state === "running") t.containersRunning += 1;
    if (c.state === "running" && c.unhealthy) t.failing.push(`${c.component} health check failing`);
    if (c.state === "restarting" || c.state === "dead") t.failing.push(`${c.component} ${c.state}`);
    const now = current.get(c.id);
    if (!now) continue;
    t.measured += 1;
    t.memoryBytes += now.memoryBytes;
    const before = previous.get(c.id);
    if (!before || now.readAt - before.readAt > maxGapMs) continue;
    const rates = computeRates(before, now);
    if (!rates) continue;
    t.rated += 1;
    t.rates = addRates(t.rates, rates);
  }
  return tenants;
}
