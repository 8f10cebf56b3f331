// Test harness: an emulator, a real stripe SDK client pointed at it, and a webhook endpoint
// that verifies every delivery with the SDK's own constructEvent, like the app will.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "./server";

export const WEBHOOK_SECRET = "whsec_emulator_test_secret";

export interface ReceivedWebhook {
  event: Stripe.Event;
  rawBody: string;
  signature: string;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly rejected: string[] = [];
  requests = 0;
  private failures = 0;
  private server: Server | undefined;
  url = "";

  // The next `count` requests get a 500, to exercise retries.
  failNext(count: number): void {
    this.failures = count;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        this.requests += 1;
        if (this.failures > 0) {
          this.failures -= 1;
          res.writeHead(500).end("try again");
          return;
        }
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const signature = String(req.headers["stripe-signature"] ?? "");
        try {
          const event = Stripe.webhooks.constructEvent(rawBody, signature, WEBHOOK_SECRET);
          this.received.push({ event, rawBody, signature });
          res.writeHead(200).end("ok");
        } catch (error) {
          this.rejected.push(error instanceof Error ? error.message : String(error));
          res.writeHead(400).end("bad signature");
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/stripe/webhook`;
  }

  types(): string[] {
    return this.received.map((hook) => hook.event.type);
  }

  ofType<T extends Stripe.Event["type"]>(type: T): Extract<Stripe.Event, { type: T }>[] {
    return this.received
      .map((hook) => hook.event)
      .filter((event): event is Extract<Stripe.Event, { type: T }> => event.type === type);
  }

  clear(): void {
    this.received.length = 0;
    this.rejected.length = 0;
    this.requests = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface Harness {
  emulator: StripeEmulator;
  stripe: Stripe;
  webhooks: WebhookReceiver;
  // Calls the control API; returns status and parsed JSON.
  control(path: string, params?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  // Submits the hosted checkout form like a browser would, without following the redirect.
  payOnPage(sessionUrl: string, cardNumber: string): Promise<Response>;
  stop(): Promise<void>;
}

export function sdkFor(emulator: StripeEmulator, key = "sk_test_emulator"): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port: emulator.port, protocol: "http" });
}

export async function startHarness(options: Partial<StripeEmulatorOptions> = {}): Promise<Harness> {
  const webhooks = new WebhookReceiver();
  await webhooks.start();
  const emulator = await startStripeEmulator({
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: webhooks.url,
    webhookRetryDelaysMs: [20, 50],
    log: () => {},
    ...options,
  });
  return {
    emulator,
    stripe: sdkFor(emulator),
    webhooks,
    async control(path, params = {}) {
      const response = await fetch(`${emulator.url}/_emulator${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    payOnPage(sessionUrl, cardNumber) {
      return fetch(sessionUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ card_number: cardNumber }).toString(),
        redirect: "manual",
      });
    },
    async stop() {
      await emulator.stop();
      await webhooks.stop();
    },
  };
}

// A customer and a €5/month checkout session for them, the way Hearth starts a contribution.
export async function openContribution(harness: Harness, amount = 500) {
  const customer = await harness.stripe.customers.create({ email: `member-${Date.now()}@example.org` });
  const session = await harness.stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    client_reference_id: "member-1",
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: "eur",
          unit_amount: amount,
          recurring: { interval: "month" },
          product_data: { name: "Contribution to fedi.town" },
        },
      },
    ],
    success_url: "http://hearth.test/c/fedi-town/thanks?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://hearth.test/c/fedi-town",
    metadata: { community: "fedi-town" },
    subscription_data: { metadata: { community: "fedi-town", member: "member-1" } },
  });
  return { customer, session };
}

// A contribution paid at checkout; returns the active subscription.
export async function activeContribution(harness: Harness, amount = 500) {
  const { customer, session } = await openContribution(harness, amount);
  const paid = await harness.control(`/checkout/${session.id}/pay`, { card: "4242424242424242" });
  if (paid.status !== 200) throw new Error(`checkout failed: ${JSON.stringify(paid.body)}`);
  const completed = await harness.stripe.checkout.sessions.retrieve(session.id);
  const subscription = await harness.stripe.subscriptions.retrieve(String(completed.subscription));
  return { customer, session: completed, subscription };
}

// The StripeError a call fails with; fails the test if the call succeeds.
export async function rejection(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the Stripe call to fail, but it succeeded");
}
