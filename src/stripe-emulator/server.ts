// A local stand-in for Stripe's API, hosted Checkout, Customer Portal and webhooks, for
// demos and tests on machines that cannot reach Stripe. Talk to it with the real `stripe`
// SDK: new Stripe("sk_test_...", { host: "127.0.0.1", port, protocol: "http" }).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { handleApi } from "./api";
import { handleControl } from "./control";
import type { EmulatorSettings } from "./core/context";
import { Engine } from "./core/engine";
import { StripeApiError } from "./core/errors";
import { readBody, sendHtml, sendJson } from "./core/http";
import { Store } from "./core/store";
import type { StripeEvent } from "./core/types";
import { showCheckout, submitCheckout } from "./pages/checkout";
import { html, page } from "./pages/html";
import { showInvoice } from "./pages/invoice";
import { portalAction, showPortal } from "./pages/portal";
import { WebhookDispatcher, type Delivery } from "./webhooks/dispatcher";

export interface StripeEmulatorOptions {
  /** 0 picks any free port. Default 0. */
  port?: number;
  host?: string;
  /** Where events are POSTed; without it events are only stored (GET /v1/events). */
  webhookUrl?: string;
  /** The endpoint's signing secret (whsec_...), as the app's STRIPE_WEBHOOK_SECRET. */
  webhookSecret: string;
  /** Base of the checkout, portal and invoice page URLs, if browsers reach the emulator elsewhere. */
  publicUrl?: string;
  /** JSON file that keeps state across restarts; in memory when unset. */
  stateFile?: string;
  /** Waits before each retry of a failed delivery. Default [250, 1000, 3000]. */
  webhookRetryDelaysMs?: number[];
  /** Per-attempt delivery timeout. Default 5000. */
  webhookTimeoutMs?: number;
  /** What a second consecutive failed renewal does: "cancel" (default) or "unpaid". */
  finalFailure?: "cancel" | "unpaid";
  log?: (message: string) => void;
}

export interface StripeEmulator {
  url: string;
  port: number;
  apiVersion: string;
  stop(): Promise<void>;
  /** Resolves when every webhook delivery queued so far has succeeded or been given up. */
  idle(): Promise<void>;
  /** Delivers a stored event again, unchanged (same id): for duplicate-delivery tests. */
  resend(eventId: string): void;
  setWebhookUrl(url: string | undefined): void;
  deliveries(): Delivery[];
  events(): StripeEvent[];
  reset(): void;
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  if (!options.webhookSecret) throw new Error("startStripeEmulator: webhookSecret is required");
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((message: string) => console.error(`[stripe-emulator] ${message}`));
  const store = new Store(options.stateFile);
  const settings: EmulatorSettings = {
    publicUrl: options.publicUrl ?? "",
    apiVersion: Stripe.API_VERSION,
    finalFailure: options.finalFailure ?? "cancel",
  };
  const dispatcher = new WebhookDispatcher({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [250, 1000, 3000],
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    // Called only after a delivery, long after `engine` below exists.
    onDelivered: (eventId) => engine.delivered(eventId),
    log,
  });
  const engine = new Engine(store, dispatcher, settings);

  const server = createServer((req, res) => {
    handle(engine, req, res).catch((error: unknown) => {
      if (error instanceof StripeApiError && !res.headersSent) {
        return sendHtml(
          res,
          error.status,
          page(
            "Bad request",
            html`<h1>Bad request</h1>
              <p>${error.message}</p>`,
          ),
        );
      }
      log(
        `${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent) sendHtml(res, 500, page("Error", html`<h1>The Stripe emulator hit an internal error</h1>`));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  settings.publicUrl = (options.publicUrl ?? url).replace(/\/$/, "");

  return {
    url,
    port,
    apiVersion: settings.apiVersion,
    async stop() {
      await dispatcher.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    idle: () => dispatcher.idle(),
    resend: (eventId) => engine.resend(eventId),
    setWebhookUrl: (next) => dispatcher.setUrl(next),
    deliveries: () => dispatcher.history(),
    events: () => store.all("events"),
    reset() {
      store.reset();
      dispatcher.clearHistory();
    },
  };
}

async function handle(engine: Engine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  let body: string;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof StripeApiError) return sendJson(res, error.status, error.toJSON());
    throw error;
  }
  const path = url.pathname;
  if (path.startsWith("/v1/")) return handleApi(engine, req, res, url, body);
  if (path.startsWith("/_emulator/")) return handleControl(engine, req, res, url, body);

  let segments: string[];
  try {
    segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return sendHtml(res, 400, page("Bad request", html`<h1>Bad request</h1>`));
  }
  const [kind, id, sub, subId, action] = segments;
  const method = req.method ?? "GET";
  if (kind === "checkout" && id && segments.length === 2) {
    if (method === "GET") return showCheckout(engine, res, id);
    if (method === "POST") return submitCheckout(engine, req, res, id, body);
  }
  if (kind === "portal" && id) {
    if (method === "GET" && segments.length === 2) return showPortal(engine, res, id);
    if (method === "POST" && sub === "subscriptions" && subId && ["cancel", "renew", "amount"].includes(action ?? "")) {
      return portalAction(engine, res, id, subId, action ?? "", body);
    }
  }
  if (kind === "invoices" && id && segments.length === 2 && method === "GET") return showInvoice(engine, res, id);
  sendHtml(
    res,
    404,
    page(
      "Not found",
      html`<h1>Not found</h1>
        <p>The Stripe emulator has no page here.</p>`,
    ),
  );
}
