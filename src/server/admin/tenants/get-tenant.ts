// The admin's tenant page, from the database: the community with its plan, owner, instance
// and suspension, its members, its queued and past operations, and its audit log; for a deleted
// one whose names were taken back, the community that took them.
import "server-only";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { assertHostPermission } from "@/server/auth/host-permission";
import { versionOf } from "@/server/settings";

const ID = /^[a-z0-9]{8,40}$/i;

/** Null for an unknown id (the page shows a 404). */
export async function getTenant(actor: Actor | null, id: string, options: { auditTake?: number } = {}) {
  assertHostPermission(actor, "admin.dashboard");
  if (!ID.test(id)) return null;
  const community = await db.community.findUnique({
    where: { id },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      software: true,
      revision: true,
      createdAt: true,
      deletedAt: true,
      adminSuspendedAt: true,
      plan: { select: { id: true, slug: true, name: true, monthlyCost: true, currency: true, memoryMb: true, cpuMillis: true, diskGb: true } },
      owner: { select: { id: true, email: true, name: true } },
      instance: { select: { id: true, phase: true, desiredState: true, desiredGeneration: true, appliedGeneration: true, images: true, lastError: true, provisionedAt: true } },
    },
  });
  if (!community) return null;
  const [members, operations, audit] = await Promise.all([
    db.membership.findMany({
      where: { communityId: id },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }],
      take: 200,
      select: { id: true, role: true, createdAt: true, user: { select: { email: true, name: true } } },
    }),
    db.tenantOperation.findMany({ where: { communityId: id }, orderBy: { createdAt: "desc" }, take: 10 }),
    db.auditEvent.findMany({
      where: { communityId: id },
      orderBy: { createdAt: "desc" },
      take: options.auditTake ?? 50,
      select: { id: true, action: true, data: true, ip: true, userAgent: true, result: true, createdAt: true, actor: { select: { email: true } } },
    }),
  ]);
  const { instance } = community;
  return {
    takenBack: community.deletedAt ? await takenBack(id) : null,
    community,
    version: instance ? versionOf(instance.images as { app: string }) : null,
    members,
    memberCount: await db.membership.count({ where: { communityId: id } }),
    operations,
    audit,
  };
}

/**
 * The community that took a deleted tenant's names back by moving its export in
 * (communities/move-back-in.ts), with the names it had; null when none did.
 */
async function takenBack(id: string) {
  const event = await db.auditEvent.findFirst({ where: { communityId: id, action: "community.name_taken_back" }, orderBy: { createdAt: "desc" }, select: { data: true } });
  const data = (event?.data ?? {}) as { by?: unknown; slug?: unknown; domain?: unknown };
  if (typeof data.by !== "string") return null;
  const by = await db.community.findUnique({ where: { id: data.by }, select: { id: true, name: true } });
  return by ? { by, slug: String(data.slug ?? ""), domain: String(data.domain ?? "") } : null;
}

export type TenantDetail = NonNullable<Awaited<ReturnType<typeof getTenant>>>;

/** The tenant's id if it exists (for the logs route), after the host permission. */
export async function findTenantId(actor: Actor | null, id: string): Promise<string | null> {
  assertHostPermission(actor, "admin.dashboard");
  if (!ID.test(id)) return null;
  return (await db.community.findUnique({ where: { id }, select: { id: true } }))?.id ?? null;
}
