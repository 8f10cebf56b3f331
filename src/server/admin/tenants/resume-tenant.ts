// Resume lifts an admin's suspension. What happens next is funding's call, as if the admin
// had never suspended: a funded tenant starts again (or is set up, if it never was); one
// that funding itself suspended, or that was never funded, stays as funding left it.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { fundingAllowsRunning } from "@/server/funding";
import { lockInstance, requestState, startNewInstance, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted } from "./busy";
import type { TenantActionInput } from "./schemas";

type Next = "start" | "create" | "funding-suspended" | "awaiting-funding";

export async function resumeTenant(ctx: TenantActionContext, input: TenantActionInput): Promise<{ next: Next }> {
  return runTenantAction(ctx, {
    action: "tenant.resumed",
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      if (!tenant.adminSuspendedAt) {
        throw new AppError("CONFLICT", "This tenant is not suspended by an admin. (A suspension for lack of funding ends when it is funded again.)");
      }
      const instance = await lockInstance(tx, tenant.id);
      const allowed = await fundingAllowsRunning(tx, tenant.id);
      let next: Next;
      if (allowed && instance) {
        await requestState(tx, instance, "RUNNING");
        next = "start";
      } else if (allowed) {
        next = "create";
      } else {
        next = instance ? "funding-suspended" : "awaiting-funding";
      }
      const status = next === "funding-suspended" ? "SUSPENDED" : next === "awaiting-funding" ? "AWAITING_FUNDING" : "PROVISIONING";
      await tx.community.update({ where: { id: tenant.id }, data: { adminSuspendedAt: null, adminSuspendedReason: null, status } });
      return { result: { next, instanceId: instance?.id ?? null, communityId: tenant.id }, data: { next } };
    },
    after: async ({ next, instanceId, communityId }) => {
      if (next === "start" && instanceId) await wakeInstance(instanceId);
      if (next === "create") await startNewInstance(communityId);
    },
  });
}
