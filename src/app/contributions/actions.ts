"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withAction } from "@/server/actions/with-action";
import { createPortalSession } from "@/server/billing/create-portal-session";

// To the Stripe Customer Portal of the signed-in person's own customer.
export const openPortalAction = withAction(z.object({}), async (_input, { actor }) => {
  redirect(await createPortalSession(actor.id));
});
