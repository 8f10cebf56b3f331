import { describe, expect, it } from "vitest";
import { recordedTarget, targetOf } from "./event-target";

const event = (type: string, object: Record<string, unknown>) => ({ type, data: { object } });
const invoice = { id: "in_1", parent: { subscription_details: { subscription: "sub_1" } } };

describe("event targets", () => {
  it("finds the object each handled type is processed under", () => {
    expect(targetOf(event("checkout.session.completed", { id: "cs_1" }))).toEqual({ kind: "checkout", id: "cs_1" });
    expect(targetOf(event("customer.subscription.updated", { id: "sub_1" }))).toEqual({ kind: "subscription", id: "sub_1" });
    expect(targetOf(event("invoice.paid", invoice))).toEqual({ kind: "subscription", id: "sub_1", invoiceId: "in_1" });
    expect(targetOf(event("charge.refunded", { id: "ch_1" }))).toEqual({ kind: "charge", id: "ch_1" });
    expect(targetOf(event("refund.updated", { id: "re_1", charge: "ch_1" }))).toEqual({ kind: "charge", id: "ch_1" });
  });

  it("has none for types Hearth does not act on, or without the ids it needs", () => {
    expect(targetOf(event("invoice.created", invoice))).toBeNull();
    expect(targetOf(event("toString", { id: "x" }))).toBeNull();
    expect(targetOf(event("invoice.paid", { id: "in_2", parent: null }))).toBeNull();
    expect(targetOf(event("refund.updated", { id: "re_1" }))).toBeNull();
  });

  it("reads back from the stored columns the target the payload gave", () => {
    for (const e of [event("invoice.payment_failed", invoice), event("refund.updated", { id: "re_1", charge: "ch_1" }), event("checkout.session.expired", { id: "cs_1" })]) {
      const target = targetOf(e)!;
      expect(recordedTarget({ type: e.type, objectId: target.id, eventObjectId: String(e.data.object.id) })).toEqual(target);
    }
    expect(recordedTarget({ type: "invoice.paid", objectId: "sub_1", eventObjectId: null })).toBeNull();
  });
});
