// Test data: each test makes its own people and communities with unique names, so tests
// never depend on each other or on the order they run in.
import { randomBytes } from "node:crypto";
import { db } from "@/server/db/client";
import type { CommunityRole } from "@/generated/prisma/enums";
import { toActor } from "@/server/auth/actor";
import type { Actor } from "@/server/auth/permissions";
import { createCommunity } from "@/server/communities/create-community";
import { seedPlans } from "@/server/plans/seed-plans";

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

/**
 * A plain account (never host admin unless asked; its email verified unless asked), made
 * directly in the database. A host admin made here is acting as after passing the second factor
 * (the rule and its gates have their own tests in src/server/auth).
 */
export async function makeUser(options: { email?: string; name?: string; isHostAdmin?: boolean; verified?: boolean } = {}): Promise<Actor> {
  const user = await db.user.create({
    data: {
      email: options.email ?? `${unique("person")}@example.test`,
      name: options.name ?? "Test Person",
      isHostAdmin: options.isHostAdmin ?? false,
      emailVerified: options.verified === false ? null : new Date(),
    },
    select: { id: true, email: true, name: true, isHostAdmin: true, emailVerified: true },
  });
  return toActor(user, { secondFactorEnrolled: Boolean(options.isHostAdmin), secondFactorPassed: Boolean(options.isHostAdmin) });
}

export async function smallPlanId(): Promise<string> {
  await seedPlans();
  return (await db.plan.findUniqueOrThrow({ where: { slug: "small" } })).id;
}

export async function makeCommunity(owner: Actor, overrides: Partial<Parameters<typeof createCommunity>[1]> = {}) {
  const created = await createCommunity(owner, {
    name: "Test Town",
    address: unique("town"),
    software: "MASTODON",
    planId: await smallPlanId(),
    description: "A place for tests.",
    rules: "Be kind.",
    ...overrides,
  });
  return db.community.findUniqueOrThrow({ where: { id: created.id } });
}

export async function addMember(communityId: string, user: Actor, role: CommunityRole) {
  return db.membership.create({ data: { communityId, userId: user.id, role } });
}

/** Everything a refused request must leave untouched, for before/after comparison. */
export async function communityState(communityId: string) {
  const [community, memberships, invitations, totals] = await Promise.all([
    db.community.findUnique({ where: { id: communityId } }),
    db.membership.findMany({ where: { communityId }, orderBy: { id: "asc" } }),
    db.invitation.findMany({ where: { communityId }, orderBy: { id: "asc" } }),
    Promise.all([db.community.count(), db.membership.count(), db.invitation.count()]),
  ]);
  return { community, memberships, invitations, totals };
}

export function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}
