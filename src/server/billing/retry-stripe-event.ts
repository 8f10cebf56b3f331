// "Retry now" on /admin/webhooks: a dead-lettered (or waiting) Stripe event is due again at
// once with a fresh count of attempts, and the worker is woken. Host admins only; audited.
import "server-only";
import { z } from "zod";
import { assertHostPermission } from "@/server/auth/host-permission";
import type { RequestOrigin } from "@/server/audit/request-origin";
import { recordAudit } from "@/server/audit/record-audit";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { STRIPE_EVENT_CHANNEL } from "./record-stripe-event";

export const retryStripeEventSchema = z.object({ eventId: z.string().trim().regex(/^evt_[A-Za-z0-9_]+$/, "is not a Stripe event id") });

export async function retryStripeEvent(ctx: { actor: Actor | null; origin?: RequestOrigin }, input: z.infer<typeof retryStripeEventSchema>) {
  assertHostPermission(ctx.actor, "admin.billing.manage");
  const actor = ctx.actor;
  await db.$transaction(async (tx) => {
    const [event] = await tx.$queryRaw<{ type: string; lastError: string | null }[]>`
      UPDATE "StripeEvent" SET "deadAt" = NULL, "attempts" = 0, "nextAttemptAt" = now()
      WHERE "id" = ${input.eventId} AND "processedAt" IS NULL
      RETURNING "type", "lastError"`;
    if (!event) throw new AppError("NOT_FOUND", "That event is not waiting to be processed (it may have been processed already).");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "stripe.event.retry",
      data: { eventId: input.eventId, type: event.type, lastError: event.lastError },
      origin: ctx.origin,
      result: "SUCCEEDED",
    });
    await tx.$executeRaw`SELECT pg_notify(${STRIPE_EVENT_CHANNEL}, '')::text`;
  });
}
