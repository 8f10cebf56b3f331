// Which Stripe object an event is about, and so which events are processed one after another:
// a subscription (its own events and its invoices'), a charge (its refunds) or a Checkout
// Session. Only ids are taken from the payload, never state: processing re-reads the object.
import { invoiceSubscriptionId } from "./stripe-objects";

export type EventTarget = { kind: "subscription" | "charge" | "checkout"; id: string; invoiceId?: string };

type EventLike = { type: string; data: { object: unknown } };

// The types Hearth acts on, and the kind of object each is processed under.
const KIND: Record<string, EventTarget["kind"]> = {
  "checkout.session.completed": "checkout",
  "checkout.session.expired": "checkout",
  "customer.subscription.created": "subscription",
  "customer.subscription.updated": "subscription",
  "customer.subscription.deleted": "subscription",
  "customer.subscription.paused": "subscription",
  "customer.subscription.resumed": "subscription",
  "invoice.paid": "subscription",
  "invoice.payment_failed": "subscription",
  "charge.refunded": "charge",
  "refund.updated": "charge",
};
const isInvoiceEvent = (type: string) => type === "invoice.paid" || type === "invoice.payment_failed";

const idOf = (value: unknown): string | null =>
  typeof value === "string" ? value : value && typeof value === "object" && "id" in value && typeof value.id === "string" ? value.id : null;

/**
 * The target of an event from its type, the target's id (stored as the event's objectId) and
 * the id of the event's own object (an invoice event's invoice): what the worker needs, without
 * reading the payload back. Null for the types Hearth does not act on.
 */
export function recordedTarget(row: { type: string; objectId: string | null; eventObjectId: string | null }): EventTarget | null {
  const kind = Object.hasOwn(KIND, row.type) ? KIND[row.type] : undefined;
  if (!kind || !row.objectId) return null;
  if (!isInvoiceEvent(row.type)) return { kind, id: row.objectId };
  return row.eventObjectId ? { kind, id: row.objectId, invoiceId: row.eventObjectId } : null;
}

/** The object an event is about; null for the types Hearth does not act on. */
export function targetOf(event: EventLike): EventTarget | null {
  const object = (event.data.object ?? {}) as Record<string, unknown>;
  const eventObjectId = idOf(object);
  const objectId = isInvoiceEvent(event.type) ? invoiceSubscriptionId(object) : event.type === "refund.updated" ? idOf(object.charge) : eventObjectId;
  return recordedTarget({ type: event.type, objectId, eventObjectId });
}
