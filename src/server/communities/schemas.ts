import { z } from "zod";
import { BIDI_MESSAGE, hasBidiControls, hasControlCharacters } from "@/lib/safe-text";
import { SOFTWARE } from "@/server/config/env";
import { addressSchema } from "@/lib/community-address";
import { ownDomainProblem } from "@/lib/own-domain";
import { DESCRIPTION_MAX, NAME_MAX, RULES_MAX } from "@/lib/community-limits";

// Browsers send text area line breaks as CRLF; count and store them as one character.
const text = (max: number, what: string) =>
  z
    .string()
    .default("")
    .transform((value) => value.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(max, `Keep the ${what} to ${max} characters or fewer.`));

export const communityNameSchema = z
  .string({ message: "Give your community a name." })
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(NAME_MAX, `Use at most ${NAME_MAX} characters.`)
  .refine((value) => !hasControlCharacters(value), "Use printable characters only.")
  .refine((value) => !hasBidiControls(value), BIDI_MESSAGE);

export const descriptionSchema = text(DESCRIPTION_MAX, "description");
export const rulesSchema = text(RULES_MAX, "rules");

export const createCommunitySchema = z
  .object({
    name: communityNameSchema,
    address: addressSchema,
    // Where the server lives: <address>.<base domain> (the default), or a domain of the community's own.
    domainKind: z.enum(["base", "own"], { message: "Choose where your server lives." }).default("base"),
    ownDomain: z.string().trim().max(300, "Use at most 253 characters.").default(""),
    software: z.enum(SOFTWARE, { message: "Choose the software." }),
    // "move-in": the server starts from an export archive uploaded on the dashboard (src/server/exports/accept-move-in.ts).
    start: z.enum(["empty", "move-in"], { message: "Choose how the server starts." }).default("empty"),
    planId: z.string({ message: "Choose a plan." }).trim().min(1, "Choose a plan.").max(64, "Choose one of the listed plans."),
    description: descriptionSchema,
    rules: rulesSchema,
  })
  .superRefine(
    (input, ctx) => {
      if (input.domainKind !== "own" || typeof input.ownDomain !== "string") return;
      // The base domain is the server's to know: createCommunity refuses names under it.
      const problem = ownDomainProblem(input.ownDomain);
      if (problem) ctx.addIssue({ code: "custom", path: ["ownDomain"], message: problem });
    },
    // Also when another field needs attention: every field's problem is said at once.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export type CreateCommunityInput = z.infer<typeof createCommunitySchema>;

/** The hidden field every dashboard form carries: which community it acts on. */
export { communityRef } from "@/lib/community-ref";
import { communityRef } from "@/lib/community-ref";

export const updateSettingsSchema = z.object({
  community: communityRef,
  name: communityNameSchema,
  description: descriptionSchema,
  rules: rulesSchema,
});

export const deleteCommunitySchema = z.object({
  community: communityRef,
  confirm: z.string().trim().max(64).default(""),
  // A checkbox (ticked by default on the form): export the instance before it is deleted.
  exportFirst: z
    .string()
    .optional()
    .transform((value) => value === "on" || value === "true"),
});
