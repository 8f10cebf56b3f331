// "Try again now" for the host admin: a run waiting for its retry (or given up, in ERROR) becomes
// due at once with a fresh count of attempts, once the admin has fixed the cause.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { lockInstance, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted } from "./busy";
import type { TenantActionInput } from "./schemas";

export async function retryTenant(ctx: TenantActionContext, input: TenantActionInput) {
  return runTenantAction(ctx, {
    action: "tenant.retried",
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      const instance = await lockInstance(tx, tenant.id);
      if (!instance) throw new AppError("CONFLICT", "This tenant has no instance.");
      const { count } = await tx.instanceRun.updateMany({
        where: { instanceId: instance.id, state: { in: ["WAITING_RETRY", "FAILED"] } },
        data: { nextAttemptAt: new Date(), failures: 0 },
      });
      if (count === 0) throw new AppError("CONFLICT", "Nothing is waiting for a retry.");
      return { result: { instanceId: instance.id } };
    },
    after: async ({ instanceId }) => wakeInstance(instanceId),
  });
}
