// Forms of the admin's tenant page. Every one names the tenant and the revision the page
// was rendered with (see tenant-action.ts).
import { z } from "zod";
import { versionTag } from "@/server/settings";

const base = {
  communityId: z.string().min(1).max(40),
  revision: z.coerce.number().int().min(0),
};

export const tenantActionSchema = z.object(base);
export const changePlanSchema = z.object({ ...base, planId: z.string().min(1, "Choose a plan.").max(40) });
export const upgradeSchema = z.object({ ...base, version: versionTag });
export const archiveActionSchema = z.object({ ...base, archive: z.string().max(120) });
export const deleteTenantSchema = z.object({ ...base, confirm: z.string().trim().max(100) });

export type TenantActionInput = z.output<typeof tenantActionSchema>;
export type ChangePlanInput = z.output<typeof changePlanSchema>;
export type UpgradeInput = z.output<typeof upgradeSchema>;
export type DeleteTenantInput = z.output<typeof deleteTenantSchema>;
