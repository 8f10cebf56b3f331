// Which Stripe object an event is about, and so which events are processed one after another:
// a subscription (its own events and its invoices'), a charge (its refunds) or a Checkout
// Session. Only ids are taken from the payload, never state: processing re-reads the object.
import { invoiceSubscriptionId } from "./stripe-objects";

export type EventTarget = { kind: "subscription" | "charge" | "checkout"; id: string; invoiceId?: string };

type EventLike = { type: string; data: { object: unknown } };

const idOf = (value: unknown): string | null =>
  typeof value === "string" ? value : value && typeof value === "object" && "id" in value && typeof value.id === "string" ? value.id : null;

/** The object an event is about; null for the types Hearth does not act on. */
export function targetOf(event: EventLike): EventTarget | null {
  const object = (event.data.object ?? {}) as Record<string, unknown>;
  const objectId = idOf(object);
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.expired":
      return objectId ? { kind: "checkout", id: objectId } : null;
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
      return objectId ? { kind: "subscription", id: objectId } : null;
    case "invoice.paid":
    case "invoice.payment_failed": {
      const subscription = invoiceSubscriptionId(object);
      return subscription && objectId ? { kind: "subscription", id: subscription, invoiceId: objectId } : null;
    }
    case "charge.refunded":
      return objectId ? { kind: "charge", id: objectId } : null;
    case "refund.updated": {
      const charge = idOf(object.charge);
      return charge ? { kind: "charge", id: charge } : null;
    }
    default:
      return null;
  }
}
