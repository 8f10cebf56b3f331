// /v1/billing_portal/sessions: a link to the emulator's customer portal page.
import { z } from "zod";
import { id, parseParams, url } from "../core/params";
import { createPortalSession } from "../model/portal";
import { route, type Route } from "./route";

const createSchema = z.strictObject({
  customer: id,
  return_url: url.optional(),
  // Stripe's portal configuration: only the emulator's built-in one exists.
  configuration: z.string().optional(),
  locale: z.string().optional(),
});

export const portalRoutes: Route[] = [
  // POST /v1/billing_portal/sessions: create a portal session for a customer
  route("POST", "/v1/billing_portal/sessions", ({ engine, params, request }) => {
    const input = parseParams(createSchema, params);
    return engine.mutate((ctx) => createPortalSession(ctx, input), request);
  }),
];
