// /v1/subscriptions: retrieve, list, update (cancel at period end, price change), cancel.
import { z } from "zod";
import { paginate } from "../core/list";
import { boolean, createdRange, id, inCreatedRange, listParams, mergeMetadata, metadata, parseParams, positiveInteger } from "../core/params";
import { resolvePrice } from "../model/inline-price";
import { cancelSubscription, updateSubscription, type ItemChange } from "../model/subscriptions";
import { subscriptionPriceData } from "./catalog-schemas";
import { route, type Route } from "./route";

const feedback = z.enum([
  "customer_service",
  "low_quality",
  "missing_features",
  "other",
  "switched_service",
  "too_complex",
  "too_expensive",
  "unused",
]);
const cancellationDetails = z.strictObject({ comment: z.string().optional(), feedback: feedback.optional() });

const itemSchema = z
  .strictObject({
    id: id.optional(),
    price: id.optional(),
    price_data: subscriptionPriceData.optional(),
    quantity: positiveInteger.optional(),
    deleted: boolean.optional(),
  })
  .refine((item) => !(item.price && item.price_data), { message: "price and price_data are mutually exclusive" });

const updateSchema = z.strictObject({
  cancel_at_period_end: boolean.optional(),
  metadata: metadata.optional(),
  description: z.string().optional(),
  items: z.array(itemSchema).optional(),
  cancellation_details: cancellationDetails.optional(),
  // Accepted for compatibility; the emulator never prorates (see README).
  proration_behavior: z.enum(["always_invoice", "create_prorations", "none"]).optional(),
});

const cancelSchema = z.strictObject({
  cancellation_details: cancellationDetails.optional(),
  invoice_now: boolean.optional(),
  prorate: boolean.optional(),
});

const listSchema = z.strictObject({
  ...listParams,
  customer: id.optional(),
  price: id.optional(),
  status: z
    .enum([
      "active",
      "all",
      "canceled",
      "ended",
      "incomplete",
      "incomplete_expired",
      "past_due",
      "paused",
      "trialing",
      "unpaid",
    ])
    .optional(),
  created: createdRange.optional(),
});

export const subscriptionRoutes: Route[] = [
  // GET /v1/subscriptions/:id: retrieve a subscription
  route("GET", "/v1/subscriptions/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("subscriptions", path.id ?? "")),
  ),

  // GET /v1/subscriptions: list by customer, price, status (default: all but canceled)
  route("GET", "/v1/subscriptions", ({ engine, params }) => {
    const input = parseParams(listSchema, params);
    return engine.read((ctx) => {
      const matchesStatus = (status: string) => {
        if (input.status === undefined) return status !== "canceled" && status !== "incomplete_expired";
        if (input.status === "all") return true;
        if (input.status === "ended") return status === "canceled" || status === "incomplete_expired";
        return status === input.status;
      };
      const subscriptions = ctx.store
        .all("subscriptions")
        .filter((s) => input.customer === undefined || s.customer === input.customer)
        .filter((s) => input.price === undefined || s.items.data.some((item) => item.price.id === input.price))
        .filter((s) => matchesStatus(s.status))
        .filter((s) => inCreatedRange(input.created, s.created));
      return paginate(subscriptions, input, "/v1/subscriptions");
    });
  }),

  // POST /v1/subscriptions/:id: update
  route("POST", "/v1/subscriptions/:id", ({ engine, path, params, request }) => {
    const input = parseParams(updateSchema, params);
    return engine.mutate((ctx) => {
      const subscription = ctx.store.require("subscriptions", path.id ?? "");
      const items = input.items?.map((item, index): ItemChange => ({
        id: item.id,
        price:
          item.price || item.price_data ? resolvePrice(ctx, item.price, item.price_data, `items[${index}]`) : undefined,
        quantity: item.quantity,
        deleted: item.deleted,
      }));
      return updateSubscription(ctx, subscription, {
        cancel_at_period_end: input.cancel_at_period_end,
        metadata: input.metadata === undefined ? undefined : mergeMetadata(subscription.metadata, input.metadata),
        description: input.description,
        items,
        cancellation_details: input.cancellation_details,
      });
    }, request);
  }),

  // DELETE /v1/subscriptions/:id: cancel now
  route("DELETE", "/v1/subscriptions/:id", ({ engine, path, params, request }) => {
    const input = parseParams(cancelSchema, params);
    return engine.mutate(
      (ctx) => cancelSubscription(ctx, ctx.store.require("subscriptions", path.id ?? ""), input.cancellation_details),
      request,
    );
  }),
];
