// A finished (or abandoned) Checkout: links the contribution Hearth created before Checkout
// to the subscription Checkout made, then converges through the subscription.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { stripe } from "./stripe";
import { stripeCheckoutSession } from "./stripe-objects";
import { syncSubscription, type SyncResult } from "./sync-subscription";

type Tx = Prisma.TransactionClient;

export async function syncCheckoutSession(tx: Tx, sessionId: string): Promise<SyncResult> {
  const session = stripeCheckoutSession.parse(await stripe().checkout.sessions.retrieve(sessionId));
  if (session.mode !== "subscription" || !session.client_reference_id) return null;
  const contribution = await tx.contribution.findUnique({ where: { id: session.client_reference_id } });
  // Only the session Hearth opened for this contribution, for the same customer, counts.
  if (!contribution || contribution.stripeCustomerId !== session.customer) return null;
  if (contribution.stripeCheckoutSessionId && contribution.stripeCheckoutSessionId !== session.id) return null;
  if (session.status === "expired" && contribution.status === "PENDING") {
    await tx.contribution.update({ where: { id: contribution.id }, data: { status: "INCOMPLETE_EXPIRED" } });
    return null;
  }
  if (!session.subscription) return null;
  return syncSubscription(tx, session.subscription);
}
