// The Checkout success page: the person has just paid, and the worker processes the
// webhook's event in a moment. The page waits for it, briefly and on the server (a poll of
// the database: the event recorded and processed, the contribution no longer pending), so
// it can usually say "active" at once; if not, it says the payment is being confirmed.
// Only for the person who made the contribution.
import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/server/db/client";

const WAIT_MS = 6_000;
const POLL_MS = 200;

async function processed(contributionId: string) {
  const [row] = await db.$queryRaw<{ status: string; amount: number; currency: string; pending: boolean }[]>`
    SELECT c."status"::text AS "status", c."amount", c."currency",
      EXISTS (SELECT 1 FROM "StripeEvent" e
              WHERE e."objectId" IN (c."stripeCheckoutSessionId", c."stripeSubscriptionId")
                AND e."processedAt" IS NULL AND e."deadAt" IS NULL) AS "pending"
    FROM "Contribution" c WHERE c."id" = ${contributionId}`;
  return row!;
}

// Stripe's Checkout Session ids ("cs_test_...", "cs_live_..."); anything else is not one of ours.
const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

export async function confirmCheckout(personId: string, sessionId: string, options: { waitMs?: number } = {}) {
  if (!CHECKOUT_SESSION_ID.test(sessionId)) return null;
  const contribution = await db.contribution.findFirst({
    where: { stripeCheckoutSessionId: sessionId, userId: personId },
    select: { id: true, community: { select: { slug: true, name: true, deletedAt: true } } },
  });
  if (!contribution) return null;
  const deadline = Date.now() + (options.waitMs ?? WAIT_MS);
  let state = await processed(contribution.id);
  while ((state.pending || state.status === "PENDING") && Date.now() < deadline) {
    await sleep(POLL_MS);
    state = await processed(contribution.id);
  }
  const { status, amount, currency } = state;
  const { deletedAt, ...community } = contribution.community;
  return {
    community,
    // A checkout paid after its community was deleted is cancelled and refunded (settle-closed-subscription.ts).
    communityDeleted: deletedAt !== null,
    status,
    amount,
    currency,
    confirming: state.pending || status === "PENDING" || status === "INCOMPLETE",
  };
}
