// Customer Portal sessions: a link to the emulator's portal page for one customer.
import type { Ctx } from "../core/context";
import { newId } from "../core/ids";
import type { PortalSession } from "../core/types";

export function createPortalSession(ctx: Ctx, input: { customer: string; return_url?: string }): PortalSession {
  ctx.store.require("customers", input.customer, "customer");
  const id = newId("bps");
  const session: PortalSession = {
    id,
    object: "billing_portal.session",
    configuration: "bpc_emulator_default",
    created: ctx.now,
    customer: input.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: input.return_url ?? null,
    url: `${ctx.settings.publicUrl}/portal/${id}`,
  };
  ctx.store.put("portalSessions", session);
  return session;
}
