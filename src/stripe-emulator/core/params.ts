// zod building blocks for form-encoded parameters (every value arrives as a string) and
// the mapping of zod issues onto Stripe's parameter errors.
import { z } from "zod";
import { invalidParams } from "./errors";
import type { FormObject } from "./form";

export const text = z.string();
export const id = z.string().min(1);
export const integer = z
  .string()
  .regex(/^-?\d+$/, "must be an integer")
  .transform((value) => Number(value));
export const positiveInteger = integer.pipe(z.number().int().min(1));
export const boolean = z.enum(["true", "false"]).transform((value) => value === "true");
// `metadata=` (empty) clears all keys; `metadata[k]=` unsets one key on update.
export const metadata = z.union([z.literal(""), z.record(z.string(), z.string())]);
export const url = z.url({ message: "must be a valid URL" });
export const currency = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, "must be a three-letter ISO currency code")
  .transform((value) => value.toLowerCase());

export const listParams = {
  limit: integer.pipe(z.number().int().min(1).max(100)).optional(),
  starting_after: id.optional(),
  ending_before: id.optional(),
};

// `created=<unix>` or `created[gt|gte|lt|lte]=<unix>`, as Stripe's list endpoints take it.
export const createdRange = z.union([
  integer,
  z.strictObject({ gt: integer.optional(), gte: integer.optional(), lt: integer.optional(), lte: integer.optional() }),
]);

export function inCreatedRange(range: z.infer<typeof createdRange> | undefined, created: number): boolean {
  if (range === undefined) return true;
  if (typeof range === "number") return created === range;
  return (
    (range.gt === undefined || created > range.gt) &&
    (range.gte === undefined || created >= range.gte) &&
    (range.lt === undefined || created < range.lt) &&
    (range.lte === undefined || created <= range.lte)
  );
}

export function bracketPath(path: PropertyKey[]): string {
  const [first, ...rest] = path.map(String);
  return (first ?? "") + rest.map((part) => `[${part}]`).join("");
}

export function parseParams<T>(schema: z.ZodType<T>, input: FormObject): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw invalidParams("Invalid request.", "");
  if (issue.code === "unrecognized_keys") {
    const param = bracketPath([...issue.path, issue.keys[0] ?? ""]);
    throw invalidParams(`Received unknown parameter: ${param}`, param, "parameter_unknown");
  }
  const param = bracketPath(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    throw invalidParams(`Missing required param: ${param}.`, param, "parameter_missing");
  }
  if (issue.code === "invalid_type" && typeof issue.input === "object") {
    throw invalidParams(`Invalid ${param}: expected a single value, not a hash or array.`, param);
  }
  throw invalidParams(`Invalid ${param}: ${issue.message}.`, param);
}

// Applies a metadata parameter to existing metadata the way Stripe does on update.
export function mergeMetadata(
  current: Record<string, string>,
  update: z.infer<typeof metadata> | undefined,
): Record<string, string> {
  if (update === undefined) return current;
  if (update === "") return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === "") delete next[key];
    else next[key] = value;
  }
  return next;
}

export function initialMetadata(value: z.infer<typeof metadata> | undefined): Record<string, string> {
  return mergeMetadata({}, value);
}
