// Serialises work on one Stripe object across concurrent webhook deliveries: two events
// about the same subscription re-read it one after the other, so the later write is from
// the later read. Held until the surrounding transaction ends.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";

export async function lockStripeObject(tx: Prisma.TransactionClient, stripeId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${stripeId}, 0))`;
}
