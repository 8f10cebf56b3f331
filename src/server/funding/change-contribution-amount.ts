// Changes the monthly amount of one's own contribution from the next invoice on (no
// proration). Stripe's Customer Portal can only switch between catalogue prices, and
// contribution amounts are free-form, so Hearth updates the subscription's price itself,
// on the community's product, then converges from Stripe as a webhook would.
import "server-only";
import { z } from "zod";
import { ensureCommunityProduct } from "@/server/billing/ensure-community-product";
import { stripe } from "@/server/billing/stripe";
import { stripeSubscription } from "@/server/billing/stripe-objects";
import { syncSubscription } from "@/server/billing/sync-subscription";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { parseAmount } from "./money";
import { getFundingSettings } from "./settings";

export const changeAmountSchema = z.object({
  contribution: z.string().trim().min(1).max(40),
  amount: z.string().trim().max(40).default(""),
});

export async function changeContributionAmount(personId: string, raw: z.input<typeof changeAmountSchema>) {
  const input = changeAmountSchema.parse(raw);
  const settings = await getFundingSettings();
  const amount = parseAmount(input.amount, { max: settings.contributionMax, currency: settings.currency });
  if (!amount.ok) throw new AppError("UNPROCESSABLE", "Some fields need attention.", { amount: amount.message });

  // Only the person's own, still running contribution; anything else is "not found".
  const contribution = await db.contribution.findFirst({
    where: { id: input.contribution, userId: personId, status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] }, stripeSubscriptionId: { not: null } },
    select: { stripeSubscriptionId: true, currency: true, community: { select: { id: true, name: true, slug: true } } },
  });
  if (!contribution) throw new AppError("NOT_FOUND", "There is no such contribution to change.");
  const subscriptionId = contribution.stripeSubscriptionId!;
  const subscription = stripeSubscription.parse(await stripe().subscriptions.retrieve(subscriptionId));
  const item = subscription.items.data[0];
  if (!item || subscription.items.data.length !== 1) throw new AppError("CONFLICT", "This contribution cannot be changed here; use Manage contributions.");
  const product = await ensureCommunityProduct(contribution.community);
  await stripe().subscriptions.update(subscriptionId, {
    items: [{ id: item.id, price_data: { currency: contribution.currency, product, unit_amount: amount.cents, recurring: { interval: "month" } } }],
    proration_behavior: "none",
  });
  await db.$transaction((tx) => syncSubscription(tx, subscriptionId), { maxWait: 10_000, timeout: 30_000 });
  return { cents: amount.cents, currency: contribution.currency };
}
