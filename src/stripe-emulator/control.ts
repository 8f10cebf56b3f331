// /_emulator: the test and demo control API. Not part of Stripe: it stands in for time
// passing and for a person at the checkout page. Bodies are form-encoded (or JSON).
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { matchPath } from "./api/route";
import type { Engine } from "./core/engine";
import { StripeApiError, unrecognizedUrl } from "./core/errors";
import { parseForm, type FormObject } from "./core/form";
import { sendJson } from "./core/http";
import { parseParams } from "./core/params";
import { SUCCESS_CARD } from "./model/cards";
import { completeCheckout, successRedirect } from "./model/checkout";
import { advanceSubscription, retryInvoice } from "./model/renewals";

const outcome = z.enum(["paid", "failed"]);

interface ControlRoute {
  method: "GET" | "POST";
  pattern: string;
  handler(engine: Engine, path: Record<string, string>, body: FormObject): unknown;
}

const controlRoutes: ControlRoute[] = [
  // GET /_emulator/health: liveness for scripts waiting on the emulator
  { method: "GET", pattern: "/_emulator/health", handler: () => ({ ok: true }) },

  // POST /_emulator/reset: forget every object and event
  {
    method: "POST",
    pattern: "/_emulator/reset",
    handler: (engine) => {
      engine.store.reset();
      engine.dispatcher.clearHistory();
      return { ok: true };
    },
  },

  // POST /_emulator/checkout/:id/pay: what the hosted page does, without a browser
  {
    method: "POST",
    pattern: "/_emulator/checkout/:id/pay",
    handler: (engine, path, body) => {
      const { card = SUCCESS_CARD } = parseParams(z.strictObject({ card: z.string().optional() }), body);
      const session = engine.mutate((ctx) =>
        completeCheckout(ctx, ctx.store.require("checkoutSessions", path.id ?? ""), card),
      );
      return { session, redirect_url: successRedirect(session) };
    },
  },

  // POST /_emulator/subscriptions/:id/advance: end the current period and bill the next
  {
    method: "POST",
    pattern: "/_emulator/subscriptions/:id/advance",
    handler: (engine, path, body) => {
      const input = parseParams(z.strictObject({ outcome: outcome.optional() }), body);
      return engine.mutate((ctx) =>
        advanceSubscription(ctx, ctx.store.require("subscriptions", path.id ?? ""), input.outcome),
      );
    },
  },

  // POST /_emulator/invoices/:id/pay: retry collecting an open invoice
  {
    method: "POST",
    pattern: "/_emulator/invoices/:id/pay",
    handler: (engine, path, body) => {
      const input = parseParams(z.strictObject({ outcome: outcome.optional() }), body);
      return engine.mutate((ctx) =>
        retryInvoice(ctx, ctx.store.require("invoices", path.id ?? ""), input.outcome ?? "paid"),
      );
    },
  },

  // POST /_emulator/events/:id/resend: deliver an event again (duplicate-delivery tests)
  {
    method: "POST",
    pattern: "/_emulator/events/:id/resend",
    handler: (engine, path) => {
      engine.resend(path.id ?? "");
      return { resent: path.id };
    },
  },

  // POST /_emulator/webhooks/idle: answers once every pending delivery has finished
  {
    method: "POST",
    pattern: "/_emulator/webhooks/idle",
    handler: async (engine) => {
      await engine.dispatcher.idle();
      return { deliveries: engine.dispatcher.history() };
    },
  },

  // GET /_emulator/webhooks: every delivery so far, with attempts and outcome
  {
    method: "GET",
    pattern: "/_emulator/webhooks",
    handler: (engine) => ({ endpoint: engine.dispatcher.endpoint ?? null, deliveries: engine.dispatcher.history() }),
  },
];

function decodeBody(req: IncomingMessage, body: string, url: URL): FormObject {
  if (req.headers["content-type"]?.includes("application/json") && body.trim() !== "") {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new StripeApiError(400, { type: "invalid_request_error", message: "Expected a JSON object." }, false);
    }
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return parseForm(body || url.search.slice(1));
}

export async function handleControl(
  engine: Engine,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): Promise<void> {
  try {
    const method = req.method ?? "GET";
    for (const candidate of controlRoutes) {
      const path = candidate.method === method ? matchPath(candidate.pattern, url.pathname) : undefined;
      if (!path) continue;
      return sendJson(res, 200, await candidate.handler(engine, path, decodeBody(req, body, url)));
    }
    throw unrecognizedUrl(method, url.pathname);
  } catch (error) {
    if (error instanceof StripeApiError) return sendJson(res, error.status, error.toJSON());
    if (error instanceof SyntaxError) {
      return sendJson(res, 400, {
        error: { type: "invalid_request_error", message: `Invalid JSON: ${error.message}` },
      });
    }
    throw error;
  }
}
