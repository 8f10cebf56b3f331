// Products and prices, also created inline from `product_data` / `price_data`.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { newId } from "../core/ids";
import type { Price, Product } from "../core/types";

export interface ProductInput {
  name: string;
  description?: string;
  metadata?: Record<string, string>;
  active?: boolean;
}

export function createProduct(ctx: Ctx, input: ProductInput, options: { silent?: boolean } = {}): Product {
  const product: Product = {
    id: newId("prod", 14),
    object: "product",
    active: input.active ?? true,
    created: ctx.now,
    default_price: null,
    description: input.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: ctx.now,
    url: null,
  };
  ctx.store.put("products", product);
  if (!options.silent) emit(ctx, "product.created", product);
  return product;
}

export type Interval = NonNullable<Price["recurring"]>["interval"];

export interface PriceInput {
  product: string;
  currency: string;
  unit_amount: number;
  recurring?: { interval: Interval; interval_count?: number };
  nickname?: string;
  metadata?: Record<string, string>;
  lookup_key?: string;
  active?: boolean;
}

export function createPrice(ctx: Ctx, input: PriceInput, options: { silent?: boolean } = {}): Price {
  ctx.store.require("products", input.product, "product");
  const price: Price = {
    id: newId("price"),
    object: "price",
    active: input.active ?? true,
    billing_scheme: "per_unit",
    created: ctx.now,
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookup_key ?? null,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: input.recurring
      ? {
          interval: input.recurring.interval,
          interval_count: input.recurring.interval_count ?? 1,
          meter: null,
          trial_period_days: null,
          usage_type: "licensed",
        }
      : null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? "recurring" : "one_time",
    unit_amount: input.unit_amount,
    unit_amount_decimal: String(input.unit_amount),
  };
  ctx.store.put("prices", price);
  if (!options.silent) emit(ctx, "price.created", price);
  return price;
}
