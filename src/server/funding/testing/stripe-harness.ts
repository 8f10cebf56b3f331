// Tests and the webhook benchmark: a real Stripe emulator in this process, Hearth's Stripe
// client pointed at it, and its webhooks delivered over HTTP to the function Hearth's route
// handler hands every request to (handleStripeWebhook; the route's own test is beside it in
// src/app/api/stripe/webhook/), which records them; settle()
// then processes them as the worker does (drainStripeEvents).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { handleStripeWebhook } from "@/server/billing/handle-webhook";
import { createStripeClient, overrideStripeClient } from "@/server/billing/stripe";
import { drainStripeEvents } from "@/server/billing/stripe-event-worker";
import { replaceInstanceDriverForTests } from "@/server/funding/instance-hooks";
import { startStripeEmulator, type StripeEmulator } from "@/stripe-emulator/server";

export const TEST_WEBHOOK_SECRET = "whsec_hearth_funding_tests_0123456789";
// Read lazily by the webhook handler (env()), so setting it on import is early enough.
process.env.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET;

/** Posts a body to the webhook's handler, as the route hands it over; answers as the route does. */
export async function postWebhook(body: string, signature: string | null): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== null) headers.set("stripe-signature", signature);
  const answer = await handleStripeWebhook(new Request("http://hearth.test/api/stripe/webhook", { method: "POST", headers, body }));
  return Response.json(answer.body, { status: answer.status });
}

export function sign(payload: string, timestamp = Math.floor(Date.now() / 1000), secret = TEST_WEBHOOK_SECRET): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

async function startBridge(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const signature = req.headers["stripe-signature"];
      void postWebhook(Buffer.concat(chunks).toString("utf8"), typeof signature === "string" ? signature : null)
        .then(async (response) => res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text()))
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stripe/webhook`, server };
}

export type FundingHarness = {
  emulator: StripeEmulator;
  stripe: Stripe;
  /** Calls the emulator's control API (/_emulator/...); throws on a non-2xx answer. */
  control(path: string, params?: Record<string, string>): Promise<Record<string, unknown>>;
  /** Resolves when every webhook so far has been delivered and processed (as the worker processes them). */
  settle(): Promise<void>;
  /** Stops or restarts webhook delivery (events are still stored: emulator.events()). */
  deliverWebhooks(on: boolean): void;
  stop(): Promise<void>;
};

/** Instance requests made while a harness runs (provisioning itself is not involved unless a test asks). */
export const instanceRequests: { communityId: string; state: string }[] = [];

export async function startFundingHarness(options: { deliver?: boolean } = {}): Promise<FundingHarness> {
  const restoreDriver = replaceInstanceDriverForTests(async (communityId, state) => {
    instanceRequests.push({ communityId, state });
  });
  const bridge = await startBridge();
  const emulator = await startStripeEmulator({
    port: 0,
    webhookSecret: TEST_WEBHOOK_SECRET,
    webhookUrl: options.deliver === false ? undefined : bridge.url,
    webhookRetryDelaysMs: [50, 200],
    log: () => {},
  });
  const client = createStripeClient({ STRIPE_SECRET_KEY: undefined, STRIPE_EMULATOR_URL: emulator.url });
  overrideStripeClient(client);
  return {
    emulator,
    stripe: client,
    async control(path, params = {}) {
      const response = await fetch(`${emulator.url}/_emulator${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params).toString(),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(body)}`);
      return body;
    },
    async settle() {
      await emulator.idle();
      await drainStripeEvents();
    },
    deliverWebhooks: (on) => emulator.setWebhookUrl(on ? bridge.url : undefined),
    async stop() {
      restoreDriver();
      overrideStripeClient(undefined);
      await emulator.stop();
      bridge.server.closeAllConnections();
      await new Promise((resolve) => bridge.server.close(resolve));
    },
  };
}
