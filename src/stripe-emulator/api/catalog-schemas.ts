// Parameter schemas shared by every endpoint that accepts a price inline.
import { z } from "zod";
import { currency, integer, metadata } from "../core/params";

export const recurring = z.strictObject({
  interval: z.enum(["day", "week", "month", "year"]),
  interval_count: integer.pipe(z.number().int().min(1).max(12)).optional(),
});

export const unitAmount = integer.pipe(z.number().int().min(0).max(99_999_999));

export const productData = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  metadata: metadata.optional(),
});

// Checkout's price_data takes a product id or product_data; subscriptions' only a product id.
export const checkoutPriceData = z
  .strictObject({
    currency,
    product: z.string().min(1).optional(),
    product_data: productData.optional(),
    recurring: recurring.optional(),
    unit_amount: unitAmount,
  })
  .refine((data) => (data.product === undefined) !== (data.product_data === undefined), {
    message: "exactly one of product and product_data is required",
  });

export const subscriptionPriceData = z.strictObject({
  currency,
  product: z.string().min(1),
  recurring,
  unit_amount: unitAmount,
});
