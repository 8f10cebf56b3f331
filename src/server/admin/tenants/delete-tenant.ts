// Deletes a tenant, after its address is typed to confirm. A community that never had an
// instance or money is removed outright. Otherwise its instance is taken down (containers,
// networks, volumes: the data is gone) and the community disappears from every page but
// this admin area; its row stays, because the ledger and the audit log refer to it.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { hasMoneyRecords } from "@/server/funding";
import { lockInstance, requestState, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted } from "./busy";
import type { DeleteTenantInput } from "./schemas";

export async function deleteTenant(ctx: TenantActionContext, input: DeleteTenantInput) {
  return runTenantAction(ctx, {
    action: "tenant.deleted",
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      if (input.confirm !== tenant.slug) {
        throw new AppError("UNPROCESSABLE", "Some fields need attention.", { confirm: `Type the address “${tenant.slug}” to confirm.` });
      }
      refuseDeleted(tenant);
      const instance = await lockInstance(tx, tenant.id);
      if (!instance && !(await hasMoneyRecords(tx, tenant.id))) {
        await tx.community.delete({ where: { id: tenant.id } });
        return { result: { instanceId: null, removed: true }, data: { slug: tenant.slug, mode: "removed" } };
      }
      const deleting = instance ? await requestState(tx, instance, "DELETED") : false;
      await tx.community.update({ where: { id: tenant.id }, data: { deletedAt: new Date() } });
      return {
        result: { instanceId: deleting ? instance!.id : null, removed: false },
        data: { slug: tenant.slug, mode: instance ? "instance-deleted" : "hidden", instance: instance?.phase ?? "none" },
      };
    },
    after: async ({ instanceId }) => {
      if (instanceId) await wakeInstance(instanceId);
    },
  });
}
