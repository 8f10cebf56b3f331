// The owner asks for an export from the dashboard: the same job an admin queues (a
// TenantOperation run by the worker), refused while the instance is being provisioned,
// while another export is waiting or running, and beyond a few a day (each one copies the
// whole instance to disk).
import "server-only";
import type { TenantOperationState } from "@/generated/prisma/enums";
import { lockInstance, instanceBusy } from "@/server/provisioning";
import { recordAudit } from "@/server/audit/record-audit";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";

export const OWNER_EXPORTS_PER_DAY = 3;
const DAY_MS = 24 * 60 * 60_000;

export async function requestExport(actor: Actor, input: { community: string }, now = new Date()): Promise<{ operationId: string }> {
  const { community } = await authorizeCommunity(actor, input.community, "instance.export");
  return db.$transaction(async (tx) => {
    // The instance row's lock serialises this with provisioning and with a second click.
    const instance = await lockInstance(tx, community.id);
    if (!instance) throw new AppError("CONFLICT", "There is no server to export yet: it is set up once the community is funded.");
    if (instanceBusy(instance)) throw new AppError("CONFLICT", "The server is being set up or changed right now. Ask for the export once it has settled.");
    const open = await tx.tenantOperation.count({ where: { communityId: community.id, kind: "EXPORT", state: { in: ["QUEUED", "RUNNING"] } } });
    if (open > 0) throw new AppError("CONFLICT", "An export is already waiting or running. It appears below when it is ready.");
    const recent = await tx.tenantOperation.count({
      where: { communityId: community.id, kind: "EXPORT", createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
    });
    if (recent >= OWNER_EXPORTS_PER_DAY) {
      throw new AppError("RATE_LIMITED", `At most ${OWNER_EXPORTS_PER_DAY} exports a day. Download one of the recent archives, or try again tomorrow.`);
    }
    const operation = await tx.tenantOperation.create({
      data: { communityId: community.id, kind: "EXPORT", requestedById: actor.id },
      select: { id: true },
    });
    await recordAudit(tx, { actorId: actor.id, communityId: community.id, action: "community.export-requested", data: { operationId: operation.id } });
    return { operationId: operation.id };
  });
}

/** The newest export job of the community, for the dashboard (null when there is none). */
export async function latestExport(communityId: string): Promise<{ state: TenantOperationState; detail: string | null; error: string | null; createdAt: Date } | null> {
  return db.tenantOperation.findFirst({
    where: { communityId, kind: "EXPORT" },
    orderBy: { createdAt: "desc" },
    select: { state: true, detail: true, error: true, createdAt: true },
  });
}
