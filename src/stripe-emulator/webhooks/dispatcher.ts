// Delivers events to the webhook endpoint in the background. Events from one operation go
// out one after another in the order they happened; a failing delivery is retried with
// backoff, and given up after the last retry so it never blocks anything for long.
import type { StripeEvent } from "../core/types";
import { signatureHeader } from "./sign";

export interface Delivery {
  eventId: string;
  type: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
}

export interface DispatcherOptions {
  url?: string;
  secret: string;
  retryDelaysMs: number[];
  timeoutMs: number;
  onDelivered(eventId: string): void;
  log(message: string): void;
}

export class WebhookDispatcher {
  private url: string | undefined;
  private readonly active = new Set<Promise<void>>();
  private readonly deliveries: Delivery[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly options: DispatcherOptions) {
    this.url = options.url;
  }

  get endpoint(): string | undefined {
    return this.url;
  }

  setUrl(url: string | undefined): void {
    this.url = url;
  }

  history(): Delivery[] {
    return this.deliveries.map((delivery) => ({ ...delivery }));
  }

  clearHistory(): void {
    this.deliveries.length = 0;
  }

  // Queues one operation's events; returns at once.
  send(events: StripeEvent[]): void {
    const url = this.url;
    if (!url || events.length === 0 || this.abort.signal.aborted) return;
    const chain = (async () => {
      for (const event of events) await this.deliver(url, event);
    })();
    this.active.add(chain);
    void chain.finally(() => this.active.delete(chain));
  }

  // Resolves once every queued delivery has succeeded or been given up.
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.idle();
  }

  private async deliver(url: string, event: StripeEvent): Promise<void> {
    const delivery: Delivery = {
      eventId: event.id,
      type: event.type,
      status: "pending",
      attempts: 0,
      lastResponseStatus: null,
      lastError: null,
    };
    this.deliveries.push(delivery);
    // Stripe sends pretty-printed JSON, which catches handlers that verify a re-serialized body.
    const payload = JSON.stringify(event, null, 2);
    const delays = [0, ...this.options.retryDelaysMs];
    for (const delay of delays) {
      if (delay > 0 && !(await this.sleep(delay))) break;
      delivery.attempts += 1;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=utf-8",
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            // Signed afresh on every attempt, as Stripe does, so retries pass the tolerance check.
            "stripe-signature": signatureHeader(payload, this.options.secret, Math.floor(Date.now() / 1000)),
          },
          body: payload,
          signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.abort.signal]),
        });
        await response.arrayBuffer().catch(() => undefined);
        delivery.lastResponseStatus = response.status;
        delivery.lastError = null;
        if (response.ok) {
          delivery.status = "delivered";
          this.options.onDelivered(event.id);
          return;
        }
      } catch (error) {
        delivery.lastResponseStatus = null;
        delivery.lastError = error instanceof Error ? error.message : String(error);
      }
    }
    delivery.status = "failed";
    this.options.log(
      `webhook ${event.type} ${event.id} failed after ${delivery.attempts} attempt(s): ${delivery.lastError ?? `HTTP ${delivery.lastResponseStatus}`}`,
    );
  }

  // False when the dispatcher was stopped while waiting.
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      this.abort.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
