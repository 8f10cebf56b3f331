// A person's own contributions and receipts. Only ever their own: the user id is in every
// query, so nobody reaches another person's contributions by guessing ids. A contribution
// with a Stripe event that has arrived but is not processed yet is "confirming" (listed even
// while it is still PENDING), so a person who just paid sees it: "payment" when one of those
// events is a payment, "change" otherwise (a cancellation or a refund on its way in).
import "server-only";
import { db } from "@/server/db/client";

/** Events that bring money in: until processed, the person is told a payment is being confirmed. */
const PAYMENT_EVENTS = ["checkout.session.completed", "invoice.paid"];

export async function listMyContributions(personId: string) {
  const [all, receipts, confirming] = await Promise.all([
    db.contribution.findMany({
      where: { userId: personId },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        status: true,
        amount: true,
        currency: true,
        isPublic: true,
        publicName: true,
        message: true,
        cancelAtPeriodEnd: true,
        currentPeriodEnd: true,
        endedAt: true,
        createdAt: true,
        community: { select: { slug: true, name: true } },
      },
    }),
    db.ledgerEntry.findMany({
      where: { contribution: { userId: personId }, kind: { in: ["PAYMENT", "REFUND"] } },
      orderBy: { occurredAt: "desc" },
      take: 100,
      select: {
        id: true,
        kind: true,
        amount: true,
        currency: true,
        occurredAt: true,
        periodStart: true,
        periodEnd: true,
        receiptUrl: true,
        community: { select: { slug: true, name: true } },
      },
    }),
    db.$queryRaw<{ id: string; payment: boolean }[]>`
      SELECT c."id", bool_or(e."type" = ANY(${PAYMENT_EVENTS})) AS payment FROM "Contribution" c
      JOIN "StripeEvent" e ON e."objectId" IN (c."stripeCheckoutSessionId", c."stripeSubscriptionId")
      WHERE c."userId" = ${personId} AND e."processedAt" IS NULL AND e."deadAt" IS NULL
      GROUP BY c."id"`,
  ]);
  const waiting = new Map(confirming.map((row) => [row.id, row.payment ? ("payment" as const) : ("change" as const)]));
  const contributions = all
    .map((c) => ({ ...c, confirming: waiting.get(c.id) ?? null }))
    .filter((c) => c.status !== "PENDING" || c.confirming);
  return { contributions, receipts };
}

export type MyContributions = Awaited<ReturnType<typeof listMyContributions>>;
