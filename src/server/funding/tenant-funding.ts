// What the admin area reads of a tenant's funding: whether funding wants it running, whether
// money records keep its row, its funding card, and its runway from a table row.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { getFundingSummary } from "./get-funding-summary";

type Tx = Prisma.TransactionClient;

/** Whether funding wants the instance to run: what a resume returns to. */
export async function fundingAllowsRunning(tx: Tx, communityId: string): Promise<boolean> {
  const funding = await tx.communityFunding.findUnique({ where: { communityId }, select: { state: true } });
  return funding?.state === "FUNDED" || funding?.state === "GRACE";
}

/** The tenant page's funding card: the summary anyone sees, and every contribution with its payer. */
export async function tenantFunding(communityId: string) {
  const [summary, contributions] = await Promise.all([
    getFundingSummary(communityId),
    db.contribution.findMany({
      where: { communityId },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: {
        id: true,
        amount: true,
        currency: true,
        status: true,
        isPublic: true,
        publicName: true,
        cancelAtPeriodEnd: true,
        createdAt: true,
        user: { select: { email: true, name: true } },
      },
    }),
  ]);
  return { summary, contributions };
}

export type TenantFunding = Awaited<ReturnType<typeof tenantFunding>>;
