// The webhook endpoint's logic, apart from Next.js: read the raw body (at most 64 KB), verify
// its signature, record the event (which queues its processing) and answer. Nothing else runs
// in the request: the worker processes the event (process-stripe-events.ts). Bad signatures
// are 400 and leave no trace; a repeat is 200 and changes nothing; a failure to record is a
// 500, so Stripe delivers the event again later.
import "server-only";
import Stripe from "stripe";
import { log } from "@/server/log";
import { env } from "@/server/config/env";
import { readBodyLimited } from "@/server/http";
import { recordStripeEvent, type RecordOutcome } from "./record-stripe-event";

// Stripe's default: a signature older than five minutes is refused (replay protection).
export const SIGNATURE_TOLERANCE_SECONDS = 300;
// Stripe's events are a few KB; nothing Hearth subscribes to comes near this.
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

export type WebhookResponse = { status: number; body: { received: boolean; outcome?: RecordOutcome; error?: string } };

export async function handleStripeWebhook(request: Request): Promise<WebhookResponse> {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    log.error("stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set");
    return { status: 503, body: { received: false, error: "Webhooks are not configured." } };
  }
  const signature = request.headers.get("stripe-signature");
  if (!signature) return { status: 400, body: { received: false, error: "Missing Stripe-Signature header." } };
  // Refused before reading when Content-Length says too much, else as soon as the bytes do.
  const bytes = await readBodyLimited(request, WEBHOOK_BODY_LIMIT);
  if (!bytes) {
    log.warn("stripe webhook refused: body too large", { limit: WEBHOOK_BODY_LIMIT });
    return { status: 413, body: { received: false, error: "Payload too large." } };
  }
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(raw, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      log.warn("stripe webhook refused: bad signature", { reason: error.message.split("\n")[0]?.trim() });
      return { status: 400, body: { received: false, error: "Invalid signature." } };
    }
    throw error;
  }
  try {
    const outcome = await recordStripeEvent(event, raw.toString("utf8"));
    return { status: 200, body: { received: true, outcome } };
  } catch (error) {
    log.error("stripe webhook could not be recorded; Stripe will retry", {
      eventId: event.id,
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
    });
    return { status: 500, body: { received: false, error: "Recording failed; please retry." } };
  }
}
