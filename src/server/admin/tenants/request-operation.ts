// Restart and export are jobs: the action queues a TenantOperation row, the worker carries
// it out (src/server/admin/operations/run-operation.ts) and the tenant page shows how it went.
import "server-only";
import type { TenantOperationKind } from "@/generated/prisma/enums";
import { AppError } from "@/server/errors/app-error";
import { exclusive, findExport } from "@/server/exports";
import { lockInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted, refuseWhileBusy } from "./busy";
import type { TenantActionInput } from "./schemas";

const NAME: Record<TenantOperationKind, string> = { RESTART: "restart", EXPORT: "export", RESTORE: "restore", VERIFY: "verify" };

export async function requestTenantOperation(ctx: TenantActionContext, input: TenantActionInput, kind: TenantOperationKind, archive?: string) {
  return runTenantAction(ctx, {
    action: `tenant.${NAME[kind]}-requested`,
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      const instance = await lockInstance(tx, tenant.id);
      if (!instance) throw new AppError("CONFLICT", `This tenant has no instance to ${NAME[kind]}.`);
      refuseWhileBusy(instance, `${NAME[kind][0]!.toUpperCase()}${NAME[kind].slice(1)} it`);
      if ((kind === "RESTORE" || kind === "VERIFY") && !(await findExport(tenant.id, archive ?? ""))) {
        throw new AppError("NOT_FOUND", "That archive is not one of this tenant's exports.");
      }
      if ((kind === "RESTART" || kind === "RESTORE") && (instance.desiredState !== "RUNNING" || instance.phase !== "RUNNING")) {
        throw new AppError("CONFLICT", `Only a running instance can be ${kind === "RESTART" ? "restarted" : "restored"}. Resume it first.`);
      }
      const open = await tx.tenantOperation.findFirst({ where: { communityId: tenant.id, kind: { in: exclusive(kind) }, state: { in: ["QUEUED", "RUNNING"] } } });
      if (open) throw new AppError("CONFLICT", `A ${NAME[open.kind]} of this tenant is already queued or running.`);
      const operation = await tx.tenantOperation.create({
        data: { communityId: tenant.id, kind, archive, requestedById: ctx.actor?.id ?? null },
        select: { id: true },
      });
      return { result: operation, data: { operationId: operation.id } };
    },
  });
}
