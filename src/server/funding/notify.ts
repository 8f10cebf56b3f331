// Tells people about their community's money through the email outbox (a sender comes
// later). Every row has a dedupe key, so a step that runs twice queues nothing twice.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { FundingState } from "@/generated/prisma/enums";
import { publicUrl } from "@/server/site/public-url";
import { formatDate } from "./dates";

type Tx = Prisma.TransactionClient;
type Community = { id: string; slug: string; name: string; ownerId: string };

// Contributions whose people hear about their community's funding.
export const SUPPORTING = ["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID"] as const;

type Extra = { graceEndsAt: Date | null; refundsAll?: boolean };

function transitionMessage(community: Community, to: FundingState, from: FundingState, extra: Extra) {
  const page = publicUrl(`/c/${community.slug}`);
  const { graceEndsAt } = extra;
  switch (to) {
    case "FUNDED":
      return from === "GRACE"
        ? { subject: `${community.name} is funded again`, body: `The overdue month of hosting for ${community.name} is paid; nothing changes for the server.\n\n${page}` }
        : {
            subject: `${community.name} is funded`,
            body: `${community.name} has a month of hosting covered, so its server is ${from === "SUSPENDED" ? "being resumed" : "being set up"}. Hosting is charged from the moment the server is up, not before.\n\n${page}`,
          };
    case "CLOSED":
      return {
        subject: `${community.name} was deleted: its contributions have ended`,
        body:
          `${community.name} was deleted, so its server is gone and every monthly contribution to it is cancelled: nobody will be charged for it again.` +
          (extra.refundsAll
            ? " Its server never went live, so everything contributed to it is being refunded to the card it came from."
            : " Any payment that still reaches it is refunded automatically.") +
          `\n\nYour contributions: ${publicUrl("/contributions")}`,
      };
    case "GRACE":
      return {
        subject: `${community.name} needs funding`,
        body: `The balance of ${community.name} does not cover the next month of hosting. The server keeps running until ${graceEndsAt ? formatDate(graceEndsAt) : "the grace period ends"}; after that it is suspended (its data is kept) until funding is back.\n\n${page}`,
      };
    case "SUSPENDED":
      return {
        subject: `${community.name} is suspended for lack of funding`,
        body: `The grace period of ${community.name} ended without enough funding, so its server is stopped. Nothing is deleted: it resumes as soon as a month of hosting is paid.\n\n${page}`,
      };
    default:
      return { subject: `${community.name}: funding update`, body: page };
  }
}

/** Queues a message about a funding transition for the organiser and every current supporter. */
export async function queueTransitionEmails(
  tx: Tx,
  input: { transitionId: string; community: Community; from: FundingState; to: FundingState; graceEndsAt: Date | null; refundsAll?: boolean },
) {
  const supporters = await tx.contribution.findMany({
    where: { communityId: input.community.id, status: { in: [...SUPPORTING] } },
    select: { userId: true },
    distinct: ["userId"],
  });
  const userIds = [...new Set([input.community.ownerId, ...supporters.map((s) => s.userId)])];
  const users = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
  const { subject, body } = transitionMessage(input.community, input.to, input.from, input);
  await tx.emailOutbox.createMany({
    data: users.map((user) => ({
      toEmail: user.email,
      toUserId: user.id,
      communityId: input.community.id,
      kind: `funding.${input.to.toLowerCase()}`,
      subject,
      body,
      dedupeKey: `transition:${input.transitionId}:${user.id}`,
    })),
    skipDuplicates: true,
  });
}

/** Queues a message to one contributor, e.g. that a renewal payment failed. */
export async function queueContributorEmail(
  tx: Tx,
  input: { userId: string; communityId: string; kind: "contribution.payment_failed"; dedupeKey: string },
) {
  const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true } });
  const community = await tx.community.findUnique({ where: { id: input.communityId }, select: { name: true } });
  if (!user || !community) return;
  await tx.emailOutbox.createMany({
    data: [
      {
        toEmail: user.email,
        toUserId: input.userId,
        communityId: input.communityId,
        kind: input.kind,
        subject: `Your contribution to ${community.name} could not be collected`,
        body: `The latest payment of your monthly contribution to ${community.name} was declined. Update your card under Manage contributions: ${publicUrl("/contributions")}`,
        dedupeKey: input.dedupeKey,
      },
    ],
    skipDuplicates: true,
  });
}
