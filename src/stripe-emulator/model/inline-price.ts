// Prices given inline (`price_data`) become real Price objects, as in Stripe.
import type { Ctx } from "../core/context";
import { initialMetadata } from "../core/params";
import type { Price } from "../core/types";
import { createPrice, createProduct } from "./catalog";

export interface InlinePrice {
  currency: string;
  product?: string;
  product_data?: { name: string; description?: string; metadata?: "" | Record<string, string> };
  recurring?: { interval: "day" | "week" | "month" | "year"; interval_count?: number };
  unit_amount: number;
}

export function resolvePrice(ctx: Ctx, price: string | undefined, data: InlinePrice | undefined, param: string): Price {
  if (price) return ctx.store.require("prices", price, `${param}[price]`);
  if (!data) throw new Error("resolvePrice needs a price or price_data");
  const productId = data.product_data
    ? createProduct(
        ctx,
        {
          name: data.product_data.name,
          description: data.product_data.description,
          metadata: initialMetadata(data.product_data.metadata),
        },
        { silent: true },
      ).id
    : ctx.store.require("products", data.product ?? "", `${param}[price_data][product]`).id;
  return createPrice(
    ctx,
    { product: productId, currency: data.currency, unit_amount: data.unit_amount, recurring: data.recurring },
    { silent: true },
  );
}
