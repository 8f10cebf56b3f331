// /v1/products and /v1/prices: create and retrieve.
import { z } from "zod";
import { paginate } from "../core/list";
import { boolean, currency, initialMetadata, listParams, metadata, parseParams } from "../core/params";
import { createPrice, createProduct } from "../model/catalog";
import { productData, recurring, unitAmount } from "./catalog-schemas";
import { route, type Route } from "./route";

const productSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  metadata: metadata.optional(),
  active: boolean.optional(),
});

const priceSchema = z
  .strictObject({
    currency,
    unit_amount: unitAmount,
    product: z.string().min(1).optional(),
    product_data: productData.omit({ description: true }).optional(),
    recurring: recurring.optional(),
    nickname: z.string().optional(),
    lookup_key: z.string().optional(),
    metadata: metadata.optional(),
    active: boolean.optional(),
  })
  .refine((data) => (data.product === undefined) !== (data.product_data === undefined), {
    message: "exactly one of product and product_data is required",
    path: ["product"],
  });

const listSchema = z.strictObject({ ...listParams, active: boolean.optional(), product: z.string().optional() });

export const catalogRoutes: Route[] = [
  // POST /v1/products: create a product
  route("POST", "/v1/products", ({ engine, params, request }) => {
    const input = parseParams(productSchema, params);
    return engine.mutate((ctx) => createProduct(ctx, { ...input, metadata: initialMetadata(input.metadata) }), request);
  }),

  // GET /v1/products/:id: retrieve a product
  route("GET", "/v1/products/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("products", path.id ?? "")),
  ),

  // POST /v1/prices: create a price for a product (or for new product_data)
  route("POST", "/v1/prices", ({ engine, params, request }) => {
    const input = parseParams(priceSchema, params);
    return engine.mutate((ctx) => {
      const product =
        input.product ??
        createProduct(ctx, {
          name: input.product_data?.name ?? "",
          metadata: initialMetadata(input.product_data?.metadata),
        }).id;
      return createPrice(ctx, {
        product,
        currency: input.currency,
        unit_amount: input.unit_amount,
        recurring: input.recurring,
        nickname: input.nickname,
        lookup_key: input.lookup_key,
        active: input.active,
        metadata: initialMetadata(input.metadata),
      });
    }, request);
  }),

  // GET /v1/prices/:id: retrieve a price
  route("GET", "/v1/prices/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("prices", path.id ?? "")),
  ),

  // GET /v1/prices: list, optionally by product and active
  route("GET", "/v1/prices", ({ engine, params }) => {
    const input = parseParams(listSchema, params);
    return engine.read((ctx) =>
      paginate(
        ctx.store
          .all("prices")
          .filter((price) => input.product === undefined || price.product === input.product)
          .filter((price) => input.active === undefined || price.active === input.active),
        input,
        "/v1/prices",
      ),
    );
  }),
];
