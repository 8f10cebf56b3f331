// Forms of the admin's tenant page. Every one names the tenant and the revision the page
// was rendered with (see tenant-action.ts).
import { z } from "zod";
import { versionTag } from "@/server/settings";

const base = {
  communityId: z.string().min(1).max(40),
  revision: z.coerce.number().int().min(0),
};

export const tenantActionSchema = z.object(base);
export const suspendTenantSchema = z.object({
  ...base,
  // Shown on the community's public page; optional.
  reason: z
    .string()
    .trim()
    .max(300, "Keep the reason to 300 characters or fewer.")
    .refine((value) => !/\p{Cc}/u.test(value), "Use printable characters only.")
    .default(""),
});
export const changePlanSchema = z.object({ ...base, planId: z.string().min(1, "Choose a plan.").max(40) });
export const upgradeSchema = z.object({ ...base, version: versionTag });
// A checkbox: present ("on") when ticked, absent otherwise.
export const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on" || value === "true");

export const deleteTenantSchema = z.object({ ...base, confirm: z.string().trim().max(100), exportFirst: checkbox });
export const archiveActionSchema = z.object({ ...base, archive: z.string().max(120) });

export type TenantActionInput = z.output<typeof tenantActionSchema>;
export type SuspendTenantInput = TenantActionInput & { reason?: string };
export type ChangePlanInput = z.output<typeof changePlanSchema>;
export type UpgradeInput = z.output<typeof upgradeSchema>;
export type DeleteTenantInput = z.output<typeof deleteTenantSchema>;
