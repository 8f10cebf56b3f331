// One operation's view of the emulator: the store, the time it started, and the events it
// produced. Events are only stored and delivered if the whole operation succeeds.
import { newId } from "./ids";
import type { Store } from "./store";
import type { EventRequest, StripeEvent } from "./types";

export interface EmulatorSettings {
  publicUrl: string;
  apiVersion: string;
  // What a second consecutive failed renewal does to a past_due subscription.
  finalFailure: "cancel" | "unpaid";
}

export interface Ctx {
  store: Store;
  now: number;
  settings: EmulatorSettings;
  request: EventRequest;
  events: StripeEvent[];
}

// Top-level fields whose value changed, with their old values: Stripe's previous_attributes.
function changedFields(before: object, after: object): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of Object.keys(old)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(now[key])) previous[key] = old[key];
  }
  return previous;
}

export function emit(ctx: Ctx, type: string, object: object, before?: object): StripeEvent {
  const event: StripeEvent = {
    id: newId("evt"),
    object: "event",
    api_version: ctx.settings.apiVersion,
    created: ctx.now,
    // A snapshot: later changes to the object must not rewrite history.
    data: {
      object: structuredClone(object) as Record<string, unknown>,
      ...(before ? { previous_attributes: changedFields(before, object) } : {}),
    },
    livemode: false,
    pending_webhooks: 0,
    request: { ...ctx.request },
    type,
  };
  ctx.store.put("events", event);
  ctx.events.push(event);
  return event;
}
