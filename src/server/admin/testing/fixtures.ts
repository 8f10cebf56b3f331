// Test data for the admin area: tenants in any state (instance and funding rows written
// directly, as provisioning and funding would leave them), and a snapshot of every table an
// admin action may touch, for "refused, and nothing changed" checks.
import type { FundingState, InstanceDesiredState, InstancePhase, Software } from "@/generated/prisma/enums";
import { db } from "@/server/db/client";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";

export const TEST_IMAGES = { app: "hearth-test/mastodon:v1.0.0", streaming: "hearth-test/mastodon-streaming:v1.0.0", db: "postgres:14-alpine", redis: "redis:7-alpine" };

export type TenantOptions = {
  software?: Software;
  instance?: { phase: InstancePhase; desiredState?: InstanceDesiredState; busy?: boolean; images?: typeof TEST_IMAGES };
  funding?: FundingState;
  adminSuspended?: boolean;
  name?: string;
};

export async function makeTenant(options: TenantOptions = {}) {
  const owner = await makeUser();
  const community = await makeCommunity(owner, { software: options.software ?? "MASTODON", ...(options.name ? { name: options.name } : {}) });
  const live = options.instance?.phase === "RUNNING";
  await db.community.update({
    where: { id: community.id },
    data: {
      status: options.adminSuspended ? "SUSPENDED" : live ? "LIVE" : options.instance ? "PROVISIONING" : "AWAITING_FUNDING",
      adminSuspendedAt: options.adminSuspended ? new Date() : null,
    },
  });
  if (options.instance) {
    const busy = options.instance.busy ?? false;
    await db.instance.create({
      data: {
        communityId: community.id,
        phase: options.instance.phase,
        desiredState: options.instance.desiredState ?? "RUNNING",
        desiredGeneration: busy ? 2 : 1,
        appliedGeneration: 1,
        images: options.instance.images ?? TEST_IMAGES,
        provisionedAt: new Date(),
      },
    });
  }
  if (options.funding) {
    await db.communityFunding.create({ data: { communityId: community.id, state: options.funding, anchorAt: new Date(), monthsCharged: 1 } });
  }
  return { owner, community: await db.community.findUniqueOrThrow({ where: { id: community.id } }) };
}

/** Every row an admin action could change, in a stable order. */
export async function adminState() {
  const [communities, instances, plans, settings, operations, audit, memberships] = await Promise.all([
    db.community.findMany({ orderBy: { id: "asc" } }),
    db.instance.findMany({ orderBy: { id: "asc" } }),
    db.plan.findMany({ orderBy: { id: "asc" } }),
    db.setting.findMany({ orderBy: { key: "asc" } }),
    db.tenantOperation.findMany({ orderBy: { id: "asc" } }),
    db.auditEvent.count(),
    db.membership.count(),
  ]);
  return { communities, instances, plans, settings, operations, audit, memberships };
}
