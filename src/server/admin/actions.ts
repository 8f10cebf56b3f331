"use server";
// Forms of the admin area's tenant pages. withHostAction checks the host permission before
// reading the form; each domain function checks it again, locks the tenant, and writes the
// audit log.
import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { withHostAction } from "@/server/actions/with-action";
import { requestOrigin } from "@/server/audit/request-origin";
import { changeTenantPlan } from "./tenants/change-tenant-plan";
import { deleteTenant } from "./tenants/delete-tenant";
import { requestTenantOperation } from "./tenants/request-operation";
import { resumeTenant } from "./tenants/resume-tenant";
import { repinTenantImages } from "./tenants/repin-tenant-images";
import { retryTenant } from "./tenants/retry-tenant";
import { archiveActionSchema, changePlanSchema, deleteTenantSchema, suspendTenantSchema, tenantActionSchema, upgradeSchema } from "./tenants/schemas";
import { suspendTenant } from "./tenants/suspend-tenant";
import { upgradeTenant } from "./tenants/upgrade-tenant";
import { advanceDemoClock, demoClockSchema } from "@/server/funding";

const context = async (actor: Parameters<typeof suspendTenant>[0]["actor"]) => ({ actor, origin: await requestOrigin() });

export const suspendTenantAction = withHostAction("admin.tenants.manage", suspendTenantSchema, async (input, { actor }) => {
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

export const restoreTenantAction = withHostAction("admin.tenants.manage", archiveActionSchema, async (input, { actor }) => {
  await requestTenantOperation(await context(actor), input, "RESTORE", input.archive);
  refresh();
  return { message: "Restore queued: the instance stops for it and its current state is exported first. Its progress shows under Jobs." };
});

export const verifyExportAction = withHostAction("admin.tenants.manage", archiveActionSchema, async (input, { actor }) => {
  await requestTenantOperation(await context(actor), input, "VERIFY", input.archive);
  refresh();
  return { message: "Verification queued. Its result shows beside the archive." };
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

export const retryTenantAction = withHostAction("admin.tenants.manage", tenantActionSchema, async (input, { actor }) => {
  await retryTenant(await context(actor), input);
  refresh();
  return { message: "Trying again now. The timeline shows how it goes." };
});

export const repinImagesAction = withHostAction("admin.tenants.manage", tenantActionSchema, async (input, { actor }) => {
  await repinTenantImages(await context(actor), input);
  refresh();
  return { message: "Images re-pinned to the host's current versions. The timeline shows the worker applying them." };
});

export const deleteTenantAction = withHostAction("admin.tenants.manage", deleteTenantSchema, async (input, { actor }) => {
  const { removed } = await deleteTenant(await context(actor), input);
  redirect(`/admin?deleted=${removed ? "removed" : "instance"}`);
});

export const advanceDemoClockAction = withHostAction("admin.tenants.manage", demoClockSchema, async (input, { actor }) => {
  const { now, renewals, state } = await advanceDemoClock(actor, input);
  refresh();
  return {
    message: `Its funding time is now ${now.toISOString().slice(0, 16).replace("T", " ")} UTC; ${renewals} ${renewals === 1 ? "renewal" : "renewals"} ${input.renewals === "paid" ? "paid" : "declined"}; funding: ${state.toLowerCase().replace("_", " ")}.`,
  };
});
