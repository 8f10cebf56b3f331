// Moves a tenant's software to another offered version: the instance's app images are
// re-pinned and the worker recreates the containers whose image changed (pulling the image
// first, running the software's migrations as on first setup). Data lives in volumes.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { getHostSettings, imagesForVersion, versionOf } from "@/server/settings";
import { lockInstance, reapply, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted, refuseWhileBusy } from "./busy";
import type { UpgradeInput } from "./schemas";

export async function upgradeTenant(ctx: TenantActionContext, input: UpgradeInput) {
  return runTenantAction(ctx, {
    action: "tenant.upgraded",
    communityId: input.communityId,
    revision: input.revision,
    data: { version: input.version },
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      const offered = (await getHostSettings(tx)).versions[tenant.software];
      if (!offered.includes(input.version)) {
        throw new AppError("UNPROCESSABLE", "Some fields need attention.", { version: "Choose one of the versions this host offers." });
      }
      const instance = await lockInstance(tx, tenant.id);
      if (!instance) throw new AppError("CONFLICT", "This tenant has no instance yet. It gets the newest offered version when it is set up.");
      refuseWhileBusy(instance, "Upgrade");
      const from = versionOf(instance.images);
      if (from === input.version) {
        throw new AppError("UNPROCESSABLE", "Some fields need attention.", { version: "The tenant already runs this version." });
      }
      const reapplied = await reapply(tx, instance, imagesForVersion(instance.images, input.version));
      return { result: { instanceId: reapplied ? instance.id : null }, data: { from, to: input.version, appliesNow: reapplied } };
    },
    after: async ({ instanceId }) => {
      if (instanceId) await wakeInstance(instanceId);
    },
  });
}
