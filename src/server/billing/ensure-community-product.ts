// The Stripe Product a community's contribution prices hang off, created once and stored,
// so Stripe's dashboard and reports group contributions by community.
import "server-only";
import { db } from "@/server/db/client";
import { stripe } from "./stripe";

export async function ensureCommunityProduct(community: { id: string; name: string; slug: string }): Promise<string> {
  const stored = await db.communityFunding.findUnique({ where: { communityId: community.id }, select: { stripeProductId: true } });
  if (stored?.stripeProductId) return stored.stripeProductId;
  const product = await stripe().products.create(
    { name: `Hearth: ${community.name}`, metadata: { communityId: community.id, address: community.slug } },
    { idempotencyKey: `hearth-product-${community.id}` },
  );
  await db.communityFunding.upsert({
    where: { communityId: community.id },
    create: { communityId: community.id, stripeProductId: product.id },
    update: { stripeProductId: product.id },
  });
  return product.id;
}
