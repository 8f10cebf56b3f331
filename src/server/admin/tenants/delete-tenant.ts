// Deletes a tenant, after its address is typed to confirm: the lifecycle of
// communities/close-community.ts (the same as the owner's). A community that never had an
// instance or money is removed outright. Otherwise its instance is taken down (exported first
// when asked), its contributions end in Stripe, and the community disappears from every page
// but this admin area; its row stays, because the ledger and the audit log refer to it.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { afterClose, closeCommunity } from "@/server/communities";
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
      const outcome = await closeCommunity(tx, tenant.id, { exportFirst: input.exportFirst });
      return {
        result: { ...outcome, removed: outcome.mode === "removed" },
        data: { slug: tenant.slug, mode: outcome.mode, exportFirst: outcome.exported, instance: outcome.instanceId ? "deleting" : "none" },
      };
    },
    after: afterClose,
  });
}
