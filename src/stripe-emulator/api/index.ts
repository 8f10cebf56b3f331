// The /v1 API: authentication, parameter decoding, idempotency, routing, expansion, and
// errors in Stripe's format.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Engine } from "../core/engine";
import { StripeApiError, unrecognizedUrl } from "../core/errors";
import { expand } from "../core/expand";
import { parseForm } from "../core/form";
import { sendJson } from "../core/http";
import { newId } from "../core/ids";
import { parseParams } from "../core/params";
import { catalogRoutes } from "./catalog";
import { checkoutRoutes } from "./checkout";
import { customerRoutes } from "./customers";
import { eventRoutes } from "./events";
import { invoiceRoutes } from "./invoices";
import { paymentRoutes } from "./payments";
import { portalRoutes } from "./portal";
import { matchPath, type Route } from "./route";
import { subscriptionRoutes } from "./subscriptions";

const routes: Route[] = [
  ...customerRoutes,
  ...catalogRoutes,
  ...checkoutRoutes,
  ...subscriptionRoutes,
  ...invoiceRoutes,
  ...paymentRoutes,
  ...portalRoutes,
  ...eventRoutes,
];

// Stripe keeps idempotency keys for at least 24 hours.
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

function unauthorized(message: string): StripeApiError {
  return new StripeApiError(401, { type: "invalid_request_error", message }, false);
}

function apiKey(header: string | undefined): string {
  if (!header) {
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  const [scheme = "", credentials = ""] = header.split(" ", 2);
  // Basic auth carries the key as the user name (`curl -u sk_test_...:`).
  const key =
    scheme.toLowerCase() === "basic"
      ? (Buffer.from(credentials, "base64").toString("utf8").split(":")[0] ?? "")
      : scheme.toLowerCase() === "bearer"
        ? credentials.trim()
        : "";
  if (!key.startsWith("sk_test_")) {
    const shown =
      key.length > 8 ? `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : key;
    throw unauthorized(`Invalid API Key provided: ${shown || "(empty)"}`);
  }
  return key;
}

function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const params = matchPath(candidate.pattern, path);
    if (params) return { route: candidate, params };
  }
  return undefined;
}

const expandSchema = z.strictObject({ expand: z.array(z.string().min(1)).optional() });

export function handleApi(engine: Engine, req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
  const requestId = newId("req", 14);
  const headers: Record<string, string> = { "request-id": requestId, "stripe-version": engine.settings.apiVersion };
  const method = req.method ?? "GET";
  const header = req.headers["idempotency-key"];
  const idempotencyKey = method === "POST" && typeof header === "string" && header !== "" ? header : undefined;
  const fingerprint = `${method} ${url.pathname} ${body}`;
  const remember = (status: number, payload: unknown) => {
    if (!idempotencyKey) return;
    const state = engine.store.state;
    const cutoff = Math.floor(Date.now() / 1000) - IDEMPOTENCY_TTL_SECONDS;
    for (const [key, result] of Object.entries(state.idempotency))
      if (result.created < cutoff) delete state.idempotency[key];
    state.idempotency[idempotencyKey] = { fingerprint, status, body: payload, created: Math.floor(Date.now() / 1000) };
    engine.store.save();
  };

  try {
    apiKey(req.headers.authorization);
    if (idempotencyKey) {
      const prior = engine.store.state.idempotency[idempotencyKey];
      if (prior && prior.fingerprint !== fingerprint) {
        throw new StripeApiError(
          400,
          {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          },
          false,
        );
      }
      if (prior) return sendJson(res, prior.status, prior.body, { ...headers, "idempotent-replayed": "true" });
    }
    const found = findRoute(method, url.pathname);
    if (!found) throw unrecognizedUrl(method, url.pathname);
    const params = parseForm(method === "POST" ? body : url.search.slice(1));
    const { expand: paths = [] } = parseParams(expandSchema.loose(), params);
    delete params.expand;
    const result = found.route.handler({
      engine,
      path: found.params,
      params,
      request: { id: requestId, idempotency_key: idempotencyKey ?? null },
    });
    const payload = expand(engine.store, result, paths);
    remember(200, payload);
    sendJson(res, 200, payload, headers);
  } catch (error) {
    if (error instanceof StripeApiError) {
      const payload = error.toJSON();
      if (error.storeForIdempotency) remember(error.status, payload);
      return sendJson(res, error.status, payload, headers);
    }
    console.error(`[stripe-emulator] ${method} ${url.pathname} failed:`, error);
    sendJson(
      res,
      500,
      { error: { type: "api_error", message: "The Stripe emulator hit an internal error." } },
      headers,
    );
  }
}
