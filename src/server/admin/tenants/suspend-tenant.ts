// Suspend: the instance stops (data kept), the community page says it is suspended, and
// funding will not start it again until an admin resumes it.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { lockInstance, requestState, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted } from "./busy";
import type { SuspendTenantInput } from "./schemas";

export async function suspendTenant(ctx: TenantActionContext, input: SuspendTenantInput) {
  const reason = input.reason?.trim() || null;
  return runTenantAction(ctx, {
    action: "tenant.suspended",
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      if (tenant.adminSuspendedAt) throw new AppError("CONFLICT", "This tenant is already suspended.");
      const instance = await lockInstance(tx, tenant.id);
      const stopping = instance ? await requestState(tx, instance, "STOPPED") : false;
      await tx.community.update({ where: { id: tenant.id }, data: { adminSuspendedAt: new Date(), adminSuspendedReason: reason, status: "SUSPENDED" } });
      return {
        result: { instanceId: stopping ? instance!.id : null },
        data: { previousStatus: tenant.status, instance: instance ? instance.phase : "none", reason },
      };
    },
    after: async ({ instanceId }) => {
      if (instanceId) await wakeInstance(instanceId);
    },
  });
}
