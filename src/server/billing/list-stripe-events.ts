// What /admin/webhooks shows: the events that need a person (dead-lettered), the ones
// waiting for a retry, and how far behind the worker is. Host admins only.
import "server-only";
import { assertHostPermission } from "@/server/auth/host-permission";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";

export type StripeEventRow = {
  id: string;
  type: string;
  objectId: string | null;
  receivedAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deadAt: Date | null;
};

export async function listStripeEventProblems(actor: Actor | null) {
  assertHostPermission(actor, "admin.billing.manage");
  const [dead, retrying, [backlog]] = await Promise.all([
    db.stripeEvent.findMany({
      where: { processedAt: null, deadAt: { not: null } },
      orderBy: { deadAt: "desc" },
      take: 200,
      select: { id: true, type: true, objectId: true, receivedAt: true, attempts: true, nextAttemptAt: true, lastError: true, deadAt: true },
    }),
    db.stripeEvent.findMany({
      where: { processedAt: null, deadAt: null, attempts: { gt: 0 } },
      orderBy: { nextAttemptAt: "asc" },
      take: 200,
      select: { id: true, type: true, objectId: true, receivedAt: true, attempts: true, nextAttemptAt: true, lastError: true, deadAt: true },
    }),
    db.$queryRaw<{ pending: bigint; oldest: Date | null }[]>`
      SELECT count(*) AS "pending", min("receivedAt") AS "oldest" FROM "StripeEvent" WHERE "processedAt" IS NULL AND "deadAt" IS NULL`,
  ]);
  return { dead, retrying, pending: Number(backlog?.pending ?? 0), oldestPending: backlog?.oldest ?? null };
}

/** The admin area's alert: how many Stripe events were given up on. */
export async function countDeadStripeEvents(actor: Actor | null): Promise<number> {
  assertHostPermission(actor, "admin.dashboard");
  return db.stripeEvent.count({ where: { processedAt: null, deadAt: { not: null } } });
}
