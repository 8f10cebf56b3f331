import "server-only";
import type { Prisma } from "@/generated/prisma/client";

/** What the public page and the organiser's dashboard both show of a community. */
export const communityProfileSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  rules: true,
  software: true,
  status: true,
  domain: true,
  createdAt: true,
  plan: { select: { name: true, monthlyCost: true, currency: true, memoryMb: true, cpuMillis: true, diskGb: true } },
} satisfies Prisma.CommunitySelect;
