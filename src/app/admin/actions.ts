"use server";
// Forms of the admin area. withHostAction checks the host permission before reading the
// form; each domain function checks it again, locks the tenant, and writes the audit log.
import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { withHostAction } from "@/server/actions/with-action";
import { requestOrigin } from "@/server/admin/request-origin";
import { changeTenantPlan } from "@/server/admin/tenants/change-tenant-plan";
import { deleteTenant } from "@/server/admin/tenants/delete-tenant";
import { requestTenantOperation } from "@/server/admin/tenants/request-operation";
import { resumeTenant } from "@/server/admin/tenants/resume-tenant";
import { changePlanSchema, deleteTenantSchema, tenantActionSchema, upgradeSchema } from "@/server/admin/tenants/schemas";
import { suspendTenant } from "@/server/admin/tenants/suspend-tenant";
import { upgradeTenant } from "@/server/admin/tenants/upgrade-tenant";
import { createPlan, deletePlan, updatePlan } from "@/server/plans/manage-plans";
import { createPlanSchema, deletePlanSchema, updatePlanSchema } from "@/server/plans/schemas";
import { hostSettingsSchema } from "@/server/settings/schemas";
import { retryStripeEvent, retryStripeEventSchema } from "@/server/billing/retry-stripe-event";
import { updateHostSettings } from "@/server/settings/update-host-settings";

const context = async (actor: Parameters<typeof suspendTenant>[0]["actor"]) => ({ actor, origin: await requestOrigin() });

export const suspendTenantAction = withHostAction("admin.tenants.manage", tenantActionSchema, async (input, { actor }) => {
  await suspendTenant(await context(actor), input);
  refresh();
  return { message: "Suspended. The instance is stopping; its data is kept." };
});

const RESUMED = {
  start: "Resumed. The instance is starting.",
  create: "Resumed. The instance is being set up.",
  "funding-suspended": "The admin suspension is lifted, but funding has run out: the instance stays stopped until it is funded.",
  "awaiting-funding": "Resumed. The community is waiting for funding again.",
} as const;

export const resumeTenantAction = withHostAction("admin.tenants.manage", tenantActionSchema, async (input, { actor }) => {
  const { next } = await resumeTenant(await context(actor), input);
  refresh();
  return { message: RESUMED[next] };
});

export const restartTenantAction = withHostAction("admin.tenants.manage", tenantActionSchema, async (input, { actor }) => {
  await requestTenantOperation(await context(actor), input, "RESTART");
  refresh();
  return { message: "Restart queued. Its progress shows under Jobs." };
});

export const exportTenantAction = withHostAction("admin.tenants.manage", tenantActionSchema, async (input, { actor }) => {
  await requestTenantOperation(await context(actor), input, "EXPORT");
  refresh();
  return { message: "Export job queued. Its outcome shows under Jobs." };
});

export const changePlanAction = withHostAction("admin.tenants.manage", changePlanSchema, async (input, { actor }) => {
  await changeTenantPlan(await context(actor), input);
  refresh();
  return { message: "Plan changed." };
});

export const upgradeTenantAction = withHostAction("admin.tenants.manage", upgradeSchema, async (input, { actor }) => {
  await upgradeTenant(await context(actor), input);
  refresh();
  return { message: `Upgrade to ${input.version} requested. The timeline shows its progress.` };
});

export const deleteTenantAction = withHostAction("admin.tenants.manage", deleteTenantSchema, async (input, { actor }) => {
  const { removed } = await deleteTenant(await context(actor), input);
  redirect(`/admin?deleted=${removed ? "removed" : "instance"}`);
});

export const createPlanAction = withHostAction("admin.plans.write", createPlanSchema, async (input, { actor }) => {
  await createPlan(await context(actor), input);
  refresh();
  return { message: `Plan “${input.name}” created.` };
});

export const updatePlanAction = withHostAction("admin.plans.write", updatePlanSchema, async (input, { actor }) => {
  await updatePlan(await context(actor), input);
  refresh();
  return { message: "Plan saved." };
});

export const deletePlanAction = withHostAction("admin.plans.write", deletePlanSchema, async (input, { actor }) => {
  await deletePlan(await context(actor), input.planId);
  refresh();
  return { message: "Plan deleted." };
});

export const updateSettingsAction = withHostAction("admin.settings.write", hostSettingsSchema, async (input, { actor }) => {
  await updateHostSettings(actor, await requestOrigin(), input);
  refresh();
  return { message: "Settings saved." };
});

export const retryStripeEventAction = withHostAction("admin.billing.manage", retryStripeEventSchema, async (input, { actor }) => {
  await retryStripeEvent({ actor, origin: await requestOrigin() }, input);
  refresh();
  return { message: "Queued: the worker processes it now." };
});
