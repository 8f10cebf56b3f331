// Starts a monthly contribution: checks the amount against the host's limits, makes sure
// the person has a stored Stripe Customer, records the contribution (PENDING) and opens a
// Stripe Checkout Session in subscription mode for it. Returns the Checkout URL.
//
// Price: inline price_data on the community's Product, not a Price object per amount.
// Amounts are free-form (presets and any custom amount), so a price per amount would grow
// Stripe's catalogue without bound and need a lookup table kept in step with it; inline
// data makes the price together with the session, always in the host's current currency.
import "server-only";
import { ZodError } from "zod";
import { ensureCommunityProduct } from "@/server/billing/ensure-community-product";
import { ensureStripeCustomer } from "@/server/billing/ensure-stripe-customer";
import { stripe } from "@/server/billing/stripe";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { publicUrl } from "@/server/site/public-url";
import { parseAmount } from "./money";
import { SUPPORTING } from "./notify";
import { contributionFormSchema, type ContributionForm } from "./schemas";
import { getFundingSettings } from "./settings";

type Person = { id: string; email: string; name: string | null };

export const COMMUNITY_NOT_FOUND = "There is no such community, or it is not open for contributions.";
/** Checkouts one person may have open (PENDING, begun within a day: Stripe's sessions last 24 hours). */
export const MAX_PENDING_CHECKOUTS = 5;
const PENDING_LOCK = 7_311_012; // advisory lock namespace: one "count, then open" per person at a time

export const COMMUNITY_SUSPENDED = "This community is suspended by the host, so it cannot take contributions right now.";

function invalid(fields: Record<string, string>): AppError {
  return new AppError("UNPROCESSABLE", "Some fields need attention.", fields);
}

function parseForm(raw: ContributionForm) {
  try {
    return contributionFormSchema.parse(raw);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const fields: Record<string, string> = {};
    for (const issue of error.issues) fields[String(issue.path[0] ?? "_")] ??= issue.message;
    throw invalid(fields);
  }
}

export async function startContribution(person: Person, raw: ContributionForm): Promise<{ url: string; contributionId: string }> {
  const input = parseForm(raw);
  const settings = await getFundingSettings();

  const fields: Record<string, string> = {};
  if (input.currency !== "" && input.currency !== settings.currency) {
    fields.currency = `Contributions on this host are in ${settings.currency.toUpperCase()}.`;
  }
  const typed = input.amount === "custom" ? input.customAmount : input.amount;
  const amount = parseAmount(typed, { max: settings.contributionMax, currency: settings.currency });
  if (!amount.ok) fields[input.amount === "custom" ? "customAmount" : "amount"] = amount.message;
  if (Object.keys(fields).length > 0) throw invalid(fields);
  const cents = (amount as { cents: number }).cents;

  // A deleted community takes no money: it is not found, like an address that never existed.
  const community = await db.community.findFirst({
    where: { slug: input.community, status: { not: "DRAFT" }, deletedAt: null, OR: [{ funding: null }, { funding: { state: { not: "CLOSED" } } }] },
    select: { id: true, slug: true, name: true, adminSuspendedAt: true },
  });
  if (!community) throw new AppError("NOT_FOUND", COMMUNITY_NOT_FOUND);
  if (community.adminSuspendedAt) throw new AppError("CONFLICT", COMMUNITY_SUSPENDED);
  const existing = await db.contribution.count({
    where: { communityId: community.id, userId: person.id, status: { in: [...SUPPORTING] } },
  });
  if (existing > 0) {
    throw new AppError("CONFLICT", "You already support this community. Change the amount under Manage contributions.");
  }

  const [customerId, productId] = await Promise.all([ensureStripeCustomer(person), ensureCommunityProduct(community)]);
  // Every open checkout is a Stripe session and a row: a person cannot pile them up.
  const contribution = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PENDING_LOCK}, hashtext(${person.id}))`;
    const pending = await tx.contribution.count({
      where: { userId: person.id, status: "PENDING", createdAt: { gte: new Date(Date.now() - 86_400_000) } },
    });
    if (pending >= MAX_PENDING_CHECKOUTS) {
      throw new AppError(
        "RATE_LIMITED",
        `You have ${pending} checkouts that were opened and not finished. Finish or close one, or try again tomorrow.`,
      );
    }
    return tx.contribution.create({
      data: {
        communityId: community.id,
        userId: person.id,
        stripeCustomerId: customerId,
        amount: cents,
        currency: settings.currency,
        isPublic: input.visibility === "public",
        publicName: input.visibility === "public" ? input.publicName : null,
        message: input.message || null,
      },
      select: { id: true },
    });
  });
  const metadata = { contributionId: contribution.id, communityId: community.id, userId: person.id };
  const session = await stripe().checkout.sessions.create(
    {
      mode: "subscription",
      customer: customerId,
      client_reference_id: contribution.id,
      line_items: [
        {
          quantity: 1,
          price_data: { currency: settings.currency, unit_amount: cents, recurring: { interval: "month" }, product: productId },
        },
      ],
      success_url: publicUrl(`/c/${community.slug}/contribute/thanks?session_id={CHECKOUT_SESSION_ID}`),
      cancel_url: publicUrl(`/c/${community.slug}/contribute/cancelled`),
      metadata,
      // Read back by the webhook to find the contribution whatever order events arrive in.
      subscription_data: { metadata, description: `Monthly contribution to ${community.name} on Hearth` },
    },
    { idempotencyKey: `hearth-checkout-${contribution.id}` },
  );
  await db.contribution.update({ where: { id: contribution.id }, data: { stripeCheckoutSessionId: session.id } });
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  return { url: session.url, contributionId: contribution.id };
}
