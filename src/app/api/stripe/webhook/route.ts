// POST /api/stripe/webhook: Stripe events, verified over the raw body, recorded once and queued for the worker
import { handleStripeWebhook } from "@/server/billing/handle-webhook";

// The signature is over the exact bytes Stripe sent: Node runtime, body read raw, never parsed first.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const { status, body } = await handleStripeWebhook(request);
  return Response.json(body, { status });
}
