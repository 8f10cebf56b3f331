// The Checkout success page: converges the contribution right away instead of waiting for
// the webhook, so the person sees their support counted. Same idempotent sync as the
// webhook; only for the person who made the contribution.
import "server-only";
import { syncCheckoutSession } from "@/server/billing/sync-checkout-session";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { fundingNow } from "./clock";
import { evaluateFunding } from "./evaluate-funding";
import { deliverInstanceRequests } from "./instance-hooks";

// Stripe's Checkout Session ids ("cs_test_...", "cs_live_..."); anything else is not one of ours.
const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

export async function confirmCheckout(personId: string, sessionId: string) {
  if (!CHECKOUT_SESSION_ID.test(sessionId)) return null;
  const contribution = await db.contribution.findFirst({
    where: { stripeCheckoutSessionId: sessionId, userId: personId },
    select: { id: true, community: { select: { slug: true, name: true, deletedAt: true } } },
  });
  if (!contribution) return null;
  try {
    const changed = await db.$transaction(
      async (tx) => {
        const affected = await syncCheckoutSession(tx, sessionId);
        if (!affected?.ledgerChanged) return null;
        return (await evaluateFunding(tx, affected.communityId, fundingNow())) ? affected.communityId : null;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
    if (changed) await deliverInstanceRequests([changed]);
  } catch (error) {
    // The webhook converges it anyway; the page still thanks the person.
    log.warn("could not confirm a checkout on the success page", { error: error instanceof Error ? error.message : String(error) });
  }
  const status = await db.contribution.findUniqueOrThrow({ where: { id: contribution.id }, select: { status: true, amount: true, currency: true } });
  const { deletedAt, ...community } = contribution.community;
  // A checkout paid after its community was deleted is cancelled and refunded (settle-closed-subscription.ts).
  return { community, communityDeleted: deletedAt !== null, ...status };
}
