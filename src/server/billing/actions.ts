"use server";
// Billing's form actions: "Retry now" for a Stripe event on /admin/webhooks (host permission
// admin.billing.manage, checked before the form is read and again by the domain function).
import { refresh } from "next/cache";
import { withHostAction } from "@/server/actions/with-action";
import { requestOrigin } from "@/server/audit/request-origin";
import { retryStripeEvent, retryStripeEventSchema } from "./retry-stripe-event";

export const retryStripeEventAction = withHostAction("admin.billing.manage", retryStripeEventSchema, async (input, { actor }) => {
  await retryStripeEvent({ actor, origin: await requestOrigin() }, input);
  refresh();
  return { message: "Queued: the worker processes it now." };
});
