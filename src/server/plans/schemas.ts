import { z } from "zod";
import { BIDI_MESSAGE, hasBidiControls, hasControlCharacters } from "@/lib/safe-text";
import { moneyField } from "@/server/settings";

const whole = (label: string, min: number, max: number, unit = "") =>
  z.coerce
    .number({ message: `${label}: enter a number.` })
    .int(`${label}: enter a whole number.`)
    .min(min, `${label} must be at least ${min}${unit}.`)
    .max(max, `${label} can be at most ${max}${unit}.`);

export const planFields = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the plan a name.")
    .max(40, "A plan name has at most 40 characters.")
    .refine((value) => !hasControlCharacters(value), "Use printable characters only.")
    .refine((value) => !hasBidiControls(value), BIDI_MESSAGE),
  memoryMb: whole("Memory", 256, 262_144, " MB"),
  cpuMillis: whole("CPU", 100, 64_000, " millicores"),
  diskGb: whole("Disk", 1, 10_000, " GB"),
  monthlyCost: moneyField("The monthly price"),
  sortOrder: whole("Order", 0, 1000),
  active: z
    .string()
    .optional()
    .transform((value) => value === "on" || value === "true"),
});

export const createPlanSchema = planFields.extend({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, "A plan's short name: 1 to 32 lowercase letters, digits and dashes."),
});

// `updatedAt` is the optimistic-lock token: the plan as the admin saw it.
export const updatePlanSchema = planFields.extend({ planId: z.string().min(1).max(40), updatedAt: z.string().max(40) });
export const deletePlanSchema = z.object({ planId: z.string().min(1).max(40) });

export type CreatePlanInput = z.output<typeof createPlanSchema>;
export type UpdatePlanInput = z.output<typeof updatePlanSchema>;
