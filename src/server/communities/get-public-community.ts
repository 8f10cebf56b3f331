import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { communityWhere } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { isWellFormedAddress } from "@/lib/community-address";
import { communityProfileSelect } from "./community-profile";

/**
 * What anyone may see of a community at /c/<address>. Drafts are visible only to those who
 * may read the community; null means "show a 404".
 */
export async function getPublicCommunity(slug: string, actor: Actor | null) {
  if (!isWellFormedAddress(slug)) return null;
  const visible: Prisma.CommunityWhereInput = actor
    ? { OR: [{ status: { not: "DRAFT" } }, communityWhere(actor, "community.read")] }
    : { status: { not: "DRAFT" } };
  const community = await db.community.findFirst({
    where: { slug, deletedAt: null, ...visible },
    select: communityProfileSelect,
  });
  if (!community) return null;
  // Whether to offer the dashboard link; the dashboard checks again on its own.
  const viewerCanManage = actor
    ? (await db.community.count({ where: { id: community.id, ...communityWhere(actor, "community.read") } })) > 0
    : false;
  return { ...community, viewerCanManage };
}

export type PublicCommunity = NonNullable<Awaited<ReturnType<typeof getPublicCommunity>>>;
