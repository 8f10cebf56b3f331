// Alerts for the organiser's dashboard (one community) and the host admin (all of them).
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";

export type AlertView = {
  id: string;
  communityId: string;
  communityName: string;
  kind: string;
  message: string;
  openedAt: Date;
  closedAt: Date | null;
};

/**
 * `access` is the caller's authorisation as a Community filter (for example
 * `communityWhere(actor, "instance.read")`, or `{}` for a host admin's overview).
 */
export async function listAlerts(input: {
  access: Prisma.CommunityWhereInput;
  communityId?: string;
  openOnly?: boolean;
  take?: number;
}): Promise<AlertView[]> {
  const rows = await db.alert.findMany({
    where: {
      community: input.access,
      ...(input.communityId && { communityId: input.communityId }),
      ...(input.openOnly && { closedAt: null }),
    },
    orderBy: { openedAt: "desc" },
    take: input.take ?? 50,
    select: {
      id: true,
      communityId: true,
      kind: true,
      message: true,
      openedAt: true,
      closedAt: true,
      community: { select: { name: true } },
    },
  });
  return rows.map(({ community, ...alert }) => ({ ...alert, communityName: community.name }));
}
