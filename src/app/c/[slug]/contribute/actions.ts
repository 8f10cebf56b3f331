"use server";
import { redirect } from "next/navigation";
import { withAction } from "@/server/actions/with-action";
import { startContribution } from "@/server/funding/start-contribution";
import { contributionFormSchema } from "@/server/funding/schemas";

// To Stripe's hosted Checkout; the Stripe customer and the pending contribution exist by then.
export const contributeAction = withAction(contributionFormSchema, async (input, { actor }) => {
  const { url } = await startContribution(actor, input);
  redirect(url);
});
