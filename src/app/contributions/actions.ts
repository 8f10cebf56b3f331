"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withAction } from "@/server/actions/with-action";
import { createPortalSession } from "@/server/billing/create-portal-session";
import { changeAmountSchema, changeContributionAmount } from "@/server/funding/change-contribution-amount";
import { formatMoney } from "@/server/funding/money";

// To the Stripe Customer Portal of the signed-in person's own customer.
export const openPortalAction = withAction(z.object({}), async (_input, { actor }) => {
  redirect(await createPortalSession(actor.id));
});

export const changeAmountAction = withAction(changeAmountSchema, async (input, { actor }) => {
  const { cents, currency } = await changeContributionAmount(actor.id, input);
  return { message: `From the next payment on: ${formatMoney(cents, currency)} a month.` };
});
