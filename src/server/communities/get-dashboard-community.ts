import "server-only";
import { cache } from "react";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { communityProfileSelect } from "./community-profile";

/**
 * The organiser's view of a community, with the actor's role and permissions; null for a 404.
 * Read once per request (the dashboard's layout and its page both ask).
 */
export const getDashboardCommunity = cache(async (actor: Actor, slug: string) => {
  try {
    const { community, role, permissions } = await authorizeCommunity(actor, slug, "community.read");
    const details = await db.community.findUniqueOrThrow({
      where: { id: community.id },
      select: {
        ...communityProfileSelect,
        updatedAt: true,
        domainOwn: true,
        domainVerifiedAt: true,
        pdsOpenSignUp: true,
        _count: { select: { memberships: true } },
      },
    });
    return { community: details, role, permissions };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
});

export type DashboardCommunity = NonNullable<Awaited<ReturnType<typeof getDashboardCommunity>>>;
