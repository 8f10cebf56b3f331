// POST /api/stripe/webhook: Stripe events, verified over the raw body, recorded once, converged
import { handleStripeWebhook } from "@/server/billing/handle-webhook";

// The signature is over the exact bytes Stripe sent: Node runtime, body read as text, never parsed first.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const { status, body } = await handleStripeWebhook(await request.text(), request.headers.get("stripe-signature"));
  return Response.json(body, { status });
}
