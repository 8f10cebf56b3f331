// Errors in Stripe's wire format. The SDK picks its error class from the HTTP status
// (400/404 invalid request, 401 authentication, 402 card), so statuses matter as much as bodies.

export interface StripeErrorBody {
  type: "invalid_request_error" | "card_error" | "api_error" | "idempotency_error";
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: { id: string; status: string };
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    // Stripe does not save an idempotent result when the parameters failed validation.
    readonly storeForIdempotency = true,
  ) {
    super(body.message);
  }

  toJSON(): { error: StripeErrorBody } {
    const doc_url = this.body.code
      ? `https://stripe.com/docs/error-codes/${this.body.code.replace(/_/g, "-")}`
      : undefined;
    return { error: { ...this.body, ...(doc_url ? { doc_url } : {}) } };
  }
}

export function notFound(kind: string, id: string, param = "id"): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export function invalidRequest(message: string, options: { param?: string; code?: string } = {}): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message, ...options });
}

export function invalidParams(message: string, param: string, code?: string): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message, param, ...(code ? { code } : {}) }, false);
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(
    404,
    {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${method}: ${path}). This emulator implements only part of Stripe's API; see src/stripe-emulator/README.md.`,
    },
    false,
  );
}
