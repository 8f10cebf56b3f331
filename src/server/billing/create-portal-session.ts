// The Stripe Customer Portal for the signed-in person: change the amount, update the card,
// cancel. Only their own customer, found by their user id.
import "server-only";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { publicUrl } from "@/server/site/public-url";
import { stripe } from "./stripe";

export async function createPortalSession(personId: string): Promise<string> {
  const customer = await db.stripeCustomer.findUnique({ where: { userId: personId } });
  if (!customer) throw new AppError("NOT_FOUND", "You have no contributions to manage yet.");
  const session = await stripe().billingPortal.sessions.create({
    customer: customer.stripeCustomerId,
    return_url: publicUrl("/contributions"),
  });
  return session.url;
}
