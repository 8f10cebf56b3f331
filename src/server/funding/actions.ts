"use server";
// Contribution forms: start one (to Stripe's hosted Checkout), change its amount, and open the
// Stripe Customer Portal.
import { redirect } from "next/navigation";
import { z } from "zod";
import { formatMoney } from "@/lib/format";
import { withAction } from "@/server/actions/with-action";
import { createPortalSession } from "@/server/billing/create-portal-session";
import { changeAmountSchema, changeContributionAmount } from "./change-contribution-amount";
import { contributionFormSchema } from "./schemas";
import { startContribution } from "./start-contribution";

// To Stripe's hosted Checkout; the Stripe customer and the pending contribution exist by then.
export const contributeAction = withAction(contributionFormSchema, async (input, { actor }) => {
  const { url } = await startContribution(actor, input);
  redirect(url);
});

// To the Stripe Customer Portal of the signed-in person's own customer.
export const openPortalAction = withAction(z.object({}), async (_input, { actor }) => {
  redirect(await createPortalSession(actor.id));
});

export const changeAmountAction = withAction(changeAmountSchema, async (input, { actor }) => {
  const { cents, currency } = await changeContributionAmount(actor.id, input);
  return { message: `From the next payment on: ${formatMoney(cents, currency)} a month.` };
});
