// The owner restores one of the community's archives, or has one verified, from the dashboard:
// the same jobs a host admin queues (TenantOperation RESTORE / VERIFY, run by the worker under
// the instance lock). A restore needs a running instance at rest and no other job waiting.
import "server-only";
import type { TenantOperationKind } from "@/generated/prisma/enums";
import { lockInstance, instanceBusy } from "@/server/provisioning";
import { exclusive } from "./operation-kinds";
import { recordAudit } from "@/server/audit/record-audit";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { findExport } from "./exports-dir";

export async function requestArchiveOperation(actor: Actor, input: { community: string; archive: string }, kind: Extract<TenantOperationKind, "RESTORE" | "VERIFY">): Promise<{ operationId: string }> {
  const { community } = await authorizeCommunity(actor, input.community, kind === "RESTORE" ? "instance.restore" : "instance.export");
  if (!(await findExport(community.id, input.archive))) throw new AppError("NOT_FOUND", "That archive is not one of this community's exports.", { archive: "No such archive." });
  return db.$transaction(async (tx) => {
    const instance = await lockInstance(tx, community.id);
    if (!instance) throw new AppError("CONFLICT", "There is no server yet: it is set up once the community is funded.");
    if (instanceBusy(instance)) throw new AppError("CONFLICT", "The server is being set up or changed right now. Try again once it has settled.");
    if (kind === "RESTORE" && (instance.phase !== "RUNNING" || instance.desiredState !== "RUNNING")) {
      throw new AppError("CONFLICT", "Only a running server can be restored. It runs again once the community is funded.");
    }
    const open = await tx.tenantOperation.findFirst({ where: { communityId: community.id, kind: { in: exclusive(kind) }, state: { in: ["QUEUED", "RUNNING"] } }, select: { kind: true } });
    if (open) throw new AppError("CONFLICT", `A ${open.kind.toLowerCase()} is already waiting or running. Try again once it is done.`);
    const operation = await tx.tenantOperation.create({
      data: { communityId: community.id, kind, archive: input.archive, requestedById: actor.id },
      select: { id: true },
    });
    await recordAudit(tx, { actorId: actor.id, communityId: community.id, action: `community.${kind.toLowerCase()}-requested`, data: { operationId: operation.id, archive: input.archive } });
    return { operationId: operation.id };
  });
}

const LABEL = { QUEUED: "waiting to start", RUNNING: "running", FAILED: "failed", SUCCEEDED: "done" } as const;

/** The newest restore or verification of the community, in words for the dashboard (null: none). */
export async function latestArchiveOperation(communityId: string): Promise<{ text: string; failed: boolean; open: boolean } | null> {
  const op = await db.tenantOperation.findFirst({
    where: { communityId, kind: { in: ["RESTORE", "VERIFY"] } },
    orderBy: { createdAt: "desc" },
    select: { kind: true, state: true, detail: true, error: true, archive: true },
  });
  if (!op) return null;
  const what = op.kind === "RESTORE" ? "Restore" : "Verification";
  const said = op.state === "FAILED" ? op.error : op.detail;
  return { text: `${what} of ${op.archive}: ${LABEL[op.state]}${said ? `. ${said}` : "."}`, failed: op.state === "FAILED", open: op.state === "QUEUED" || op.state === "RUNNING" };
}
