// Moves a tenant to another plan. A running instance is brought in line by the worker (its
// containers get the new plan's limits); funding charges the new price from the next month.
import "server-only";
import { AppError } from "@/server/errors/app-error";
import { lockInstance, reapply, wakeInstance } from "@/server/provisioning";
import { runTenantAction, type TenantActionContext } from "../tenant-action";
import { refuseDeleted, refuseWhileBusy } from "./busy";
import type { ChangePlanInput } from "./schemas";

export async function changeTenantPlan(ctx: TenantActionContext, input: ChangePlanInput) {
  return runTenantAction(ctx, {
    action: "tenant.plan-changed",
    communityId: input.communityId,
    revision: input.revision,
    change: async (tx, tenant) => {
      refuseDeleted(tenant);
      const plan = await tx.plan.findUnique({ where: { id: input.planId }, select: { id: true, slug: true, active: true } });
      if (!plan) throw new AppError("UNPROCESSABLE", "Some fields need attention.", { planId: "Choose one of the listed plans." });
      if (plan.id === tenant.planId) throw new AppError("UNPROCESSABLE", "Some fields need attention.", { planId: "The tenant is already on this plan." });
      if (!plan.active) throw new AppError("UNPROCESSABLE", "Some fields need attention.", { planId: "This plan is deactivated. Activate it first in the settings." });
      const instance = await lockInstance(tx, tenant.id);
      refuseWhileBusy(instance, "Change the plan");
      const from = await tx.plan.findUniqueOrThrow({ where: { id: tenant.planId }, select: { slug: true } });
      await tx.community.update({ where: { id: tenant.id }, data: { planId: plan.id } });
      const reapplied = instance ? await reapply(tx, instance) : false;
      return { result: { instanceId: reapplied ? instance!.id : null }, data: { from: from.slug, to: plan.slug } };
    },
    after: async ({ instanceId }) => {
      if (instanceId) await wakeInstance(instanceId);
    },
  });
}
