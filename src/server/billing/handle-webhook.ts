// The webhook endpoint's logic, apart from Next.js: verify the signature over the raw body,
// then process. Bad signatures are 400 and leave no trace; events Hearth does not act on are
// acknowledged (2xx) so Stripe stops sending them; a failure while processing is a 500, so
// Stripe delivers the event again later.
import "server-only";
import Stripe from "stripe";
import { log } from "@/server/log";
import { env } from "@/server/config/env";
import { processStripeEvent, type EventOutcome } from "./process-stripe-event";

// Stripe's default: a signature older than five minutes is refused (replay protection).
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type WebhookResponse = { status: number; body: { received: boolean; outcome?: EventOutcome; error?: string } };

export async function handleStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookResponse> {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    log.error("stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set");
    return { status: 503, body: { received: false, error: "Webhooks are not configured." } };
  }
  if (!signature) return { status: 400, body: { received: false, error: "Missing Stripe-Signature header." } };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      log.warn("stripe webhook refused: bad signature", { reason: error.message.split("\n")[0]?.trim() });
      return { status: 400, body: { received: false, error: "Invalid signature." } };
    }
    throw error;
  }
  try {
    const outcome = await processStripeEvent(event);
    return { status: 200, body: { received: true, outcome } };
  } catch (error) {
    log.error("stripe webhook processing failed; Stripe will retry", {
      eventId: event.id,
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
    });
    return { status: 500, body: { received: false, error: "Processing failed; please retry." } };
  }
}
