// A failed attempt at a Stripe event: counted, with its error, and retried after a backoff
// (base x 4^(attempt-1): 30 s, 2 min, 8 min, 32 min by default). After the last attempt the
// event is dead-lettered: it stops blocking its object's later events, the host admins get
// an alert (an email in the outbox, and the banner of the admin area), and it waits on
// /admin/webhooks for "retry now".
import "server-only";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { publicUrl } from "@/server/site/public-url";

export function retryDelayMs(attempt: number, baseSeconds = env().HEARTH_STRIPE_EVENT_RETRY_SECONDS): number {
  return baseSeconds * 1000 * 4 ** Math.max(0, attempt - 1);
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

export async function failStripeEvent(event: { id: string; type: string }, error: unknown, now: Date): Promise<"retry" | "dead"> {
  const config = env();
  const message = describe(error);
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ attempts: number }[]>`
      UPDATE "StripeEvent" SET "attempts" = "attempts" + 1, "lastError" = ${message}
      WHERE "id" = ${event.id} AND "processedAt" IS NULL AND "deadAt" IS NULL
      RETURNING "attempts"`;
    if (!row) return "retry";
    if (row.attempts < config.HEARTH_STRIPE_EVENT_MAX_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelayMs(row.attempts));
      await tx.$executeRaw`UPDATE "StripeEvent" SET "nextAttemptAt" = ${next} WHERE "id" = ${event.id}`;
      log.warn("stripe event failed; retrying later", { eventId: event.id, type: event.type, attempt: row.attempts, retryAt: next.toISOString(), error: message });
      return "retry";
    }
    await tx.$executeRaw`UPDATE "StripeEvent" SET "deadAt" = ${now} WHERE "id" = ${event.id}`;
    log.error("stripe event dead-lettered after its last attempt", { eventId: event.id, type: event.type, attempts: row.attempts, error: message });
    const admins = await tx.user.findMany({
      where: { OR: [{ isHostAdmin: true }, { email: { in: config.HEARTH_ADMIN_EMAILS, mode: "insensitive" } }] },
      select: { id: true, email: true },
    });
    await tx.emailOutbox.createMany({
      data: admins.map((admin) => ({
        toEmail: admin.email,
        toUserId: admin.id,
        kind: "admin.stripe_event_dead",
        subject: `A Stripe event could not be processed: ${event.type}`,
        body: `Hearth tried ${row.attempts} times to process the Stripe event ${event.id} (${event.type}) and gave up. Last error: ${message}\n\nFix the cause, then choose "Retry now": ${publicUrl("/admin/webhooks")}`,
        dedupeKey: `stripe-event-dead:${event.id}:${now.getTime()}:${admin.id}`,
      })),
      skipDuplicates: true,
    });
    return "dead";
  });
}
