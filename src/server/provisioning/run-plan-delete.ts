// Deleting an instance, as a finalizer: export first when asked, then remove every container,
// network and volume carrying the tenant's labels, and check that nothing is left.
import "server-only";
import { db } from "@/server/db/client";
import { labelFilters } from "@/server/docker/labels";
import { StepError } from "./docker-errors";
import { listLabelled, removeLabelled } from "./docker-objects";
import { exportBeforeDelete } from "./export-hook";
import type { PlanContext } from "./run-plan-context";
import { unrouteStep } from "./run-plan-ingress";
import type { PlannedStage } from "./run-steps";

export function deletePlan(ctx: PlanContext): PlannedStage[] {
  const filters = () => labelFilters(ctx.tenant.tenantId);
  const stages: PlannedStage[] = [];
  if (ctx.instance.exportFirst) {
    stages.push([
      {
        key: "export",
        label: "Export the instance before deletion",
        run: (progress) => exportBeforeDelete({ instanceId: ctx.instance.id, communityId: ctx.instance.communityId, progress }),
      },
    ]);
  }
  // Desired state DELETED: the route disappears, and the ingress lets go of the tenant network.
  if (ctx.config.HEARTH_INGRESS === "on") stages.push([{ ...unrouteStep(ctx), label: "Remove the domain from the ingress" }]);
  stages.push(
    [
      {
        key: "remove:containers",
        label: "Remove the containers",
        run: async () => {
          const objects = await listLabelled(ctx.docker, await filters());
          const count = await removeLabelled(ctx.docker, { ...objects, networks: [], volumes: [] });
          return `${count} removed`;
        },
      },
    ],
    [
      {
        key: "remove:storage",
        label: "Remove the networks and volumes (all data)",
        run: async () => {
          const { networks, volumes } = await listLabelled(ctx.docker, await filters());
          await removeLabelled(ctx.docker, { containers: [], networks, volumes });
          return `${networks.length} networks, ${volumes.length} volumes removed`;
        },
      },
    ],
    [
      {
        key: "verify",
        label: "Check that nothing is left",
        run: async () => {
          const left = await listLabelled(ctx.docker, await filters());
          const count = left.containers.length + left.networks.length + left.volumes.length;
          if (count > 0) throw new StepError(`${count} Docker objects of this instance are still on the host.`);
          // Nothing runs any more: the secrets and the unseen admin password go too.
          await db.instanceAdminCredential.deleteMany({ where: { instanceId: ctx.instance.id } });
          await db.instance.update({
            where: { id: ctx.instance.id },
            data: { secretsSealed: null, webAddress: null, streamingAddress: null },
          });
          return "Nothing left";
        },
      },
    ],
  );
  return stages;
}
