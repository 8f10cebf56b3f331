// Customers: the one object Hearth creates before sending a member to Checkout.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { newId } from "../core/ids";
import type { Customer } from "../core/types";

export interface CustomerInput {
  email?: string;
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
}

export function createCustomer(ctx: Ctx, input: CustomerInput): Customer {
  const customer: Customer = {
    id: newId("cus", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: ctx.now,
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: newId("x", 8).slice(2).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  ctx.store.put("customers", customer);
  emit(ctx, "customer.created", customer);
  return customer;
}
