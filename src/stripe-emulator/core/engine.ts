// Runs operations against the store: a failed operation leaves no trace (state restored,
// events dropped); a successful one is saved and its events handed to the dispatcher.
import type { WebhookDispatcher } from "../webhooks/dispatcher";
import type { Ctx, EmulatorSettings } from "./context";
import { nowSeconds } from "./time";
import type { Store } from "./store";
import type { EventRequest } from "./types";

const NO_REQUEST: EventRequest = { id: null, idempotency_key: null };

export class Engine {
  constructor(
    readonly store: Store,
    readonly dispatcher: WebhookDispatcher,
    readonly settings: EmulatorSettings,
  ) {}

  private context(request: EventRequest): Ctx {
    return { store: this.store, now: nowSeconds(), settings: this.settings, request, events: [] };
  }

  read<T>(operation: (ctx: Ctx) => T): T {
    return operation(this.context(NO_REQUEST));
  }

  mutate<T>(operation: (ctx: Ctx) => T, request: EventRequest = NO_REQUEST): T {
    const backup = this.store.snapshot();
    const ctx = this.context(request);
    let result: T;
    try {
      result = operation(ctx);
    } catch (error) {
      this.store.restore(backup);
      throw error;
    }
    const pending = this.dispatcher.endpoint ? 1 : 0;
    for (const event of ctx.events) event.pending_webhooks = pending;
    this.store.save();
    this.dispatcher.send(ctx.events);
    return result;
  }

  // Called by the dispatcher after a 2xx from the endpoint.
  delivered(eventId: string): void {
    const event = this.store.get("events", eventId);
    if (!event) return;
    event.pending_webhooks = 0;
    this.store.save();
  }

  resend(eventId: string): void {
    const event = this.store.require("events", eventId);
    this.dispatcher.send([event]);
  }
}
