// The reaper: removes Docker objects of this installation whose tenant (community) no longer
// exists, e.g. after a community row was deleted while its containers ran. Objects of other
// installations or other test runs never match the installation label, so they are never seen.
import "server-only";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { LABEL, labelFilters } from "@/server/docker/labels";
import { log } from "@/server/log";
import { listLabelled, removeLabelled, type TenantObjects } from "./docker-objects";

export async function reapOrphans(observed?: TenantObjects): Promise<number> {
  const objects = observed ?? (await listLabelled(docker(), await labelFilters()));
  const tenantOf = (labels: Record<string, string> | null | undefined) => labels?.[LABEL.tenant];
  const tenants = new Set(
    [
      ...objects.containers.map((c) => tenantOf(c.Labels)),
      ...objects.networks.map((n) => tenantOf(n.Labels)),
      ...objects.volumes.map((v) => tenantOf(v.Labels)),
    ].filter((id): id is string => Boolean(id)),
  );
  if (tenants.size === 0) return 0;
  const existing = new Set(
    (await db.community.findMany({ where: { id: { in: [...tenants] } }, select: { id: true } })).map((c) => c.id),
  );
  const orphan = (labels: Record<string, string> | null | undefined) => {
    const tenant = tenantOf(labels);
    return tenant !== undefined && !existing.has(tenant);
  };
  const doomed: TenantObjects = {
    containers: objects.containers.filter((c) => orphan(c.Labels)),
    networks: objects.networks.filter((n) => orphan(n.Labels)),
    volumes: objects.volumes.filter((v) => orphan(v.Labels)),
  };
  const count = await removeLabelled(docker(), doomed);
  if (count > 0) {
    log.info("reaped objects of deleted tenants", {
      containers: doomed.containers.map((c) => c.Names[0]),
      networks: doomed.networks.map((n) => n.Name),
      volumes: doomed.volumes.map((v) => v.Name),
    });
  }
  return count;
}
