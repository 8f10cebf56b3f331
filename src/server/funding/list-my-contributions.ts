// A person's own contributions and receipts. Only ever their own: the user id is in every
// query, so nobody reaches another person's contributions by guessing ids.
import "server-only";
import { db } from "@/server/db/client";

export async function listMyContributions(personId: string) {
  const [contributions, receipts] = await Promise.all([
    db.contribution.findMany({
      where: { userId: personId, status: { not: "PENDING" } },
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
  ]);
  return { contributions, receipts };
}

export type MyContributions = Awaited<ReturnType<typeof listMyContributions>>;
