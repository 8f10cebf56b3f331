// Restart and export are jobs: the action queues a TenantOperation row, the worker carries
// it out (src/server/admin/operations/run-operation.ts) and the tenant page shows how it went.
import "server-only";
import type { TenantOperationKind } from "@/generated/prisma/enums";
import { AppError } from "@/server/errors/app-error";
import { lockInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted, refuseWhileBusy } from "./busy";
import type { TenantActionInput } from "./schemas";

const NAME: Record<TenantOperationKind, string> = { RESTART: "restart", EXPORT: "export" };

export async function requestTenantOperation(ctx: TenantActionContext, input: TenantActionInput, kind: TenantOperationKind) {
  return runTenantAction(ctx, {
    action: `tenant.${NAME[kind]}-requested`,
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      const instance = await lockInstance(tx, tenant.id);
      if (!instance) throw new AppError("CONFLICT", `This tenant has no instance to ${NAME[kind]}.`);
      refuseWhileBusy(instance, kind === "RESTART" ? "Restart it" : "Export it");
      if (kind === "RESTART" && (instance.desiredState !== "RUNNING" || instance.phase !== "RUNNING")) {
        throw new AppError("CONFLICT", "Only a running instance can be restarted. Resume it first.");
      }
      const open = await tx.tenantOperation.findFirst({ where: { communityId: tenant.id, kind, state: { in: ["QUEUED", "RUNNING"] } } });
      if (open) throw new AppError("CONFLICT", `A ${NAME[kind]} of this tenant is already queued or running.`);
      const operation = await tx.tenantOperation.create({
        data: { communityId: tenant.id, kind, requestedById: ctx.actor?.id ?? null },
        select: { id: true },
      });
      return { result: operation, data: { operationId: operation.id } };
    },
  });
}
