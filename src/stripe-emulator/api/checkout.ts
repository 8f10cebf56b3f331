// /v1/checkout/sessions: create (subscription mode), retrieve, list, line items, expire.
import { z } from "zod";
import { emit } from "../core/context";
import { invalidRequest } from "../core/errors";
import { paginate } from "../core/list";
import { id, initialMetadata, listParams, metadata, parseParams, positiveInteger, url } from "../core/params";
import { createCheckoutSession } from "../model/checkout";
import { resolvePrice } from "../model/inline-price";
import { checkoutPriceData } from "./catalog-schemas";
import { route, type Route } from "./route";

const lineItem = z
  .strictObject({
    price: id.optional(),
    price_data: checkoutPriceData.optional(),
    quantity: positiveInteger.optional(),
  })
  .refine((line) => (line.price === undefined) !== (line.price_data === undefined), {
    message: "exactly one of price and price_data is required",
  });

const createSchema = z.strictObject({
  mode: z.literal("subscription", { message: "this emulator supports only mode=subscription" }),
  customer: id.optional(),
  customer_email: z.email().optional(),
  line_items: z.array(lineItem).min(1),
  success_url: url,
  cancel_url: url.optional(),
  metadata: metadata.optional(),
  client_reference_id: z.string().max(200).optional(),
  subscription_data: z.strictObject({ metadata: metadata.optional(), description: z.string().optional() }).optional(),
  payment_method_types: z.array(z.literal("card", { message: "only card is supported" })).optional(),
});

const listSchema = z.strictObject({
  ...listParams,
  customer: id.optional(),
  subscription: id.optional(),
  status: z.enum(["open", "complete", "expired"]).optional(),
});

export const checkoutRoutes: Route[] = [
  // POST /v1/checkout/sessions: a hosted page where the member enters a card
  route("POST", "/v1/checkout/sessions", ({ engine, params, request }) => {
    const input = parseParams(createSchema, params);
    if (input.customer && input.customer_email) {
      throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", {
        param: "customer_email",
      });
    }
    return engine.mutate(
      (ctx) =>
        createCheckoutSession(ctx, {
          customer: input.customer,
          customer_email: input.customer_email,
          lines: input.line_items.map((line, index) => ({
            price: resolvePrice(ctx, line.price, line.price_data, `line_items[${index}]`),
            quantity: line.quantity ?? 1,
          })),
          success_url: input.success_url,
          cancel_url: input.cancel_url,
          metadata: initialMetadata(input.metadata),
          client_reference_id: input.client_reference_id,
          subscription_data: {
            metadata: initialMetadata(input.subscription_data?.metadata),
            description: input.subscription_data?.description,
          },
        }),
      request,
    );
  }),

  // GET /v1/checkout/sessions/:id: retrieve (expand[]=subscription, line_items, ...)
  route("GET", "/v1/checkout/sessions/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("checkoutSessions", path.id ?? "")),
  ),

  // GET /v1/checkout/sessions/:id/line_items: the session's line items
  route("GET", "/v1/checkout/sessions/:id/line_items", ({ engine, path, params }) => {
    const input = parseParams(z.strictObject(listParams), params);
    return engine.read((ctx) => {
      const session = ctx.store.require("checkoutSessions", path.id ?? "");
      const items = ctx.store.state.checkoutLineItems[session.id] ?? [];
      return paginate(items, input, `/v1/checkout/sessions/${session.id}/line_items`);
    });
  }),

  // GET /v1/checkout/sessions: list, optionally by customer, subscription, status
  route("GET", "/v1/checkout/sessions", ({ engine, params }) => {
    const input = parseParams(listSchema, params);
    return engine.read((ctx) =>
      paginate(
        ctx.store
          .all("checkoutSessions")
          .filter((s) => input.customer === undefined || s.customer === input.customer)
          .filter((s) => input.subscription === undefined || s.subscription === input.subscription)
          .filter((s) => input.status === undefined || s.status === input.status),
        input,
        "/v1/checkout/sessions",
      ),
    );
  }),

  // POST /v1/checkout/sessions/:id/expire: close an open session
  route("POST", "/v1/checkout/sessions/:id/expire", ({ engine, path, params, request }) => {
    parseParams(z.strictObject({}), params);
    return engine.mutate((ctx) => {
      const session = ctx.store.require("checkoutSessions", path.id ?? "");
      if (session.status !== "open") {
        throw invalidRequest(
          `Only Checkout Sessions with a status in ["open"] can be expired. This session is ${session.status}.`,
        );
      }
      session.status = "expired";
      emit(ctx, "checkout.session.expired", session);
      return session;
    }, request);
  }),
];
