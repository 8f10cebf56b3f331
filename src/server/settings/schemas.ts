import { z } from "zod";
import { SOFTWARE } from "@/server/config/env";
import { versionTag } from "./tag";

/** An amount as people type it ("15", "2.50") in whole currency units, to cents. */
export const moneyField = (label: string, max = 100_000) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,7}([.,]\d{1,2})?$/, `${label}: enter an amount such as 15 or 2.50.`)
    .transform((value) => Math.round(Number(value.replace(",", ".")) * 100))
    .refine((cents) => cents <= max * 100, `${label} can be at most ${max}.`);

const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on" || value === "true");

const versionList = z
  .string()
  .trim()
  .max(2000)
  .transform((value) => [...new Set(value.split(/[\s,]+/).filter(Boolean))])
  .pipe(z.array(versionTag).min(1, "List at least one version (an image tag), newest first.").max(20, "At most 20 versions."));

export const hostSettingsSchema = z
  .object({
    revision: z.string().max(40),
    graceDays: z.coerce
      .number({ message: "Enter a number of days." })
      .int("Enter a whole number of days.")
      .min(0, "The grace period cannot be negative.")
      .max(365, "The grace period can be at most 365 days."),
    hostFee: moneyField("The host fee", 10_000),
    ...Object.fromEntries(SOFTWARE.map((s) => [`enabled_${s}`, checkbox])),
    ...Object.fromEntries(SOFTWARE.map((s) => [`versions_${s}`, versionList])),
  })
  .transform((input, ctx) => {
    const record = input as Record<string, unknown>;
    const enabledSoftware = SOFTWARE.filter((s) => record[`enabled_${s}`] === true);
    if (enabledSoftware.length === 0) {
      ctx.addIssue({ code: "custom", path: [`enabled_${SOFTWARE[0]}`], message: "Offer at least one software." });
    }
    return {
      revision: input.revision,
      graceDays: input.graceDays,
      hostFeeCents: input.hostFee,
      enabledSoftware,
      versions: Object.fromEntries(SOFTWARE.map((s) => [s, record[`versions_${s}`] as string[]])) as Record<(typeof SOFTWARE)[number], string[]>,
    };
  });

export type HostSettingsInput = z.output<typeof hostSettingsSchema>;
