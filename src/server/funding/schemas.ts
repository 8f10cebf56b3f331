// The contribution form, as it arrives (strings). The amount and currency are checked
// against the host's settings in startContribution, which knows them.
import { z } from "zod";

export const contributionFormSchema = z
  .object({
    community: z.string().trim().min(1).max(100),
    // A preset amount, or "custom" to use customAmount.
    amount: z.string().trim().max(40).default(""),
    customAmount: z.string().trim().max(40).default(""),
    currency: z.string().trim().toLowerCase().max(10).default(""),
    visibility: z.enum(["public", "anonymous"], { message: "Choose whether your name is shown." }),
    publicName: z.string().trim().max(60, "Keep the name to 60 characters.").default(""),
    message: z.string().trim().max(140, "Keep the message to 140 characters.").default(""),
  })
  .superRefine((input, context) => {
    if (input.visibility === "public" && input.publicName === "") {
      context.addIssue({ code: "custom", path: ["publicName"], message: "Enter the name to show, or choose anonymous." });
    }
  });

export type ContributionForm = z.input<typeof contributionFormSchema>;
