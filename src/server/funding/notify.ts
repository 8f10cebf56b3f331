// Tells people about their community's money through the outbox (src/server/mail): each kind of
// message has its template there. Every row has a dedupe key, so a step that runs twice queues
// nothing twice.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { FundingState } from "@/generated/prisma/enums";
import { queueEmail, queueEmails } from "@/server/mail/queue-email";

type Tx = Prisma.TransactionClient;
type Community = { id: string; slug: string; name: string; ownerId: string };

// Contributions whose people hear about their community's funding.
export const SUPPORTING = ["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID"] as const;

/** Queues a message about a funding transition for the organiser and every current supporter. */
export async function queueTransitionEmails(
  tx: Tx,
  input: { transitionId: string; community: Community; from: FundingState; to: FundingState; graceEndsAt: Date | null; refundsAll?: boolean },
) {
  if (input.to === "AWAITING_FUNDING") return;
  const supporters = await tx.contribution.findMany({
    where: { communityId: input.community.id, status: { in: [...SUPPORTING] } },
    select: { userId: true },
    distinct: ["userId"],
  });
  const userIds = [...new Set([input.community.ownerId, ...supporters.map((s) => s.userId)])];
  const users = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
  const base = { communityName: input.community.name, slug: input.community.slug };
  const each = (user: { id: string; email: string }) => ({
    toEmail: user.email,
    toUserId: user.id,
    communityId: input.community.id,
    dedupeKey: `transition:${input.transitionId}:${user.id}`,
  });
  switch (input.to) {
    case "FUNDED":
      await queueEmails(tx, users.map((u) => ({ ...each(u), kind: "funding.funded" as const, data: { ...base, from: input.from } })));
      break;
    case "GRACE":
      await queueEmails(tx, users.map((u) => ({ ...each(u), kind: "funding.grace" as const, data: { ...base, graceEndsAt: input.graceEndsAt?.toISOString() ?? null } })));
      break;
    case "SUSPENDED":
      await queueEmails(tx, users.map((u) => ({ ...each(u), kind: "funding.suspended" as const, data: base })));
      break;
    case "CLOSED":
      await queueEmails(tx, users.map((u) => ({ ...each(u), kind: "funding.closed" as const, data: { ...base, refundsAll: input.refundsAll ?? false } })));
      break;
  }
}

/** Queues a message to one contributor, e.g. that a renewal payment failed (with a link to fix the card). */
export async function queueContributorEmail(
  tx: Tx,
  input: { userId: string; communityId: string; kind: "contribution.payment_failed"; dedupeKey: string },
) {
  const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true } });
  const community = await tx.community.findUnique({ where: { id: input.communityId }, select: { name: true, slug: true } });
  if (!user || !community) return;
  await queueEmail(tx, {
    kind: input.kind,
    toEmail: user.email,
    toUserId: input.userId,
    communityId: input.communityId,
    data: { communityName: community.name, slug: community.slug },
    dedupeKey: input.dedupeKey,
  });
}
