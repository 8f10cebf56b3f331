// /v1/charges, /v1/payment_intents (read only) and /v1/refunds.
import { z } from "zod";
import { invalidRequest } from "../core/errors";
import { paginate } from "../core/list";
import { createdRange, id, inCreatedRange, initialMetadata, listParams, metadata, parseParams, positiveInteger } from "../core/params";
import { createRefund } from "../model/refunds";
import { route, type Route } from "./route";

const refundSchema = z
  .strictObject({
    charge: id.optional(),
    payment_intent: id.optional(),
    amount: positiveInteger.optional(),
    reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
    metadata: metadata.optional(),
  })
  .refine((input) => input.charge !== undefined || input.payment_intent !== undefined, {
    message: "one of charge or payment_intent is required",
    path: ["charge"],
  });

const chargeListSchema = z.strictObject({ ...listParams, customer: id.optional(), payment_intent: id.optional() });
const refundListSchema = z.strictObject({ ...listParams, charge: id.optional(), payment_intent: id.optional(), created: createdRange.optional() });

export const paymentRoutes: Route[] = [
  // GET /v1/charges/:id: retrieve a charge
  route("GET", "/v1/charges/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("charges", path.id ?? "")),
  ),

  // GET /v1/charges: list by customer or payment intent
  route("GET", "/v1/charges", ({ engine, params }) => {
    const input = parseParams(chargeListSchema, params);
    return engine.read((ctx) =>
      paginate(
        ctx.store
          .all("charges")
          .filter((c) => input.customer === undefined || c.customer === input.customer)
          .filter((c) => input.payment_intent === undefined || c.payment_intent === input.payment_intent),
        input,
        "/v1/charges",
      ),
    );
  }),

  // GET /v1/payment_intents/:id: retrieve a payment intent
  route("GET", "/v1/payment_intents/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("paymentIntents", path.id ?? "")),
  ),

  // POST /v1/refunds: refund a charge, whole or in part
  route("POST", "/v1/refunds", ({ engine, params, request }) => {
    const input = parseParams(refundSchema, params);
    return engine.mutate((ctx) => {
      let chargeId = input.charge;
      if (input.payment_intent) {
        const intent = ctx.store.require("paymentIntents", input.payment_intent, "payment_intent");
        if (chargeId && chargeId !== intent.latest_charge) {
          throw invalidRequest(`Charge ${chargeId} does not belong to ${intent.id}.`, { param: "charge" });
        }
        chargeId = (intent.latest_charge as string | null) ?? undefined;
        if (!chargeId) throw invalidRequest(`${intent.id} has no charge to refund.`, { param: "payment_intent" });
      }
      const charge = ctx.store.require("charges", chargeId ?? "", "charge");
      return createRefund(ctx, charge, {
        amount: input.amount,
        reason: input.reason,
        metadata: initialMetadata(input.metadata),
      });
    }, request);
  }),

  // GET /v1/refunds/:id: retrieve a refund
  route("GET", "/v1/refunds/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("refunds", path.id ?? "")),
  ),

  // GET /v1/refunds: list by charge, payment intent or created
  route("GET", "/v1/refunds", ({ engine, params }) => {
    const input = parseParams(refundListSchema, params);
    return engine.read((ctx) =>
      paginate(
        ctx.store
          .all("refunds")
          .filter((r) => input.charge === undefined || r.charge === input.charge)
          .filter((r) => input.payment_intent === undefined || r.payment_intent === input.payment_intent)
          .filter((r) => inCreatedRange(input.created, r.created)),
        input,
        "/v1/refunds",
      ),
    );
  }),
];
