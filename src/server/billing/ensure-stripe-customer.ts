// A person's Stripe Customer, created before their first Checkout and stored, so every
// contribution and the portal find the same customer (never made on the success redirect).
import "server-only";
import { db } from "@/server/db/client";
import { stripe } from "./stripe";

export async function ensureStripeCustomer(user: { id: string; email: string; name: string | null }): Promise<string> {
  const stored = await db.stripeCustomer.findUnique({ where: { userId: user.id } });
  if (stored) return stored.stripeCustomerId;
  // The idempotency key makes two racing first contributions get the same customer.
  const customer = await stripe().customers.create(
    { email: user.email, ...(user.name ? { name: user.name } : {}), metadata: { hearthUserId: user.id } },
    { idempotencyKey: `hearth-customer-${user.id}` },
  );
  await db.stripeCustomer.createMany({ data: [{ userId: user.id, stripeCustomerId: customer.id }], skipDuplicates: true });
  return (await db.stripeCustomer.findUniqueOrThrow({ where: { userId: user.id } })).stripeCustomerId;
}
