// Every host-admin action on a tenant goes through here:
//   1. host permission (NOT_FOUND otherwise, and nothing is recorded for a non-admin);
//   2. one transaction that locks the community row (SELECT ... FOR NO KEY UPDATE: webhooks inserting rows that refer to it still pass) and compares its
//      revision with the one the admin's page was rendered with: a stale page or a second
//      admin acting at the same moment gets a conflict instead of silently undoing a change;
//   3. the action's own checks and changes, the revision bump and the audit row, together;
//   4. after the commit, the effects outside the database (waking the worker).
// A refusal (conflict, wrong confirmation, tenant busy) is audited as REFUSED, an unexpected
// error as FAILED, each with who, what, when, from where.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { CommunityStatus, Software } from "@/generated/prisma/enums";
import type { Actor, HostPermission } from "@/server/auth/permissions";
import { recordAudit } from "@/server/audit/record-audit";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { log } from "@/server/log";
import type { RequestOrigin } from "@/server/audit/request-origin";
import { assertHostPermission } from "@/server/auth/host-permission";

export const TENANT_NOT_FOUND = "There is no such tenant.";
export const TENANT_CONFLICT =
  "Another admin changed this tenant after you opened the page. Reload to see what changed, then decide again.";

export type LockedTenant = {
  id: string;
  slug: string;
  name: string;
  status: CommunityStatus;
  software: Software;
  planId: string;
  revision: number;
  deletedAt: Date | null;
  adminSuspendedAt: Date | null;
};

export type TenantActionContext = { actor: Actor | null; origin: RequestOrigin };

type Step<T> = {
  /** Audit action name, e.g. "tenant.suspended". */
  action: string;
  permission?: HostPermission;
  communityId: string;
  revision: number;
  data?: Prisma.InputJsonObject;
  /** Inside the transaction, with the row locked and the revision checked. Throw AppError to refuse. */
  change: (tx: Prisma.TransactionClient, tenant: LockedTenant) => Promise<{ result: T; data?: Prisma.InputJsonObject }>;
  /** After the commit; must not throw for a change that is already safely recorded. */
  after?: (result: T) => Promise<void>;
};

export async function runTenantAction<T>(ctx: TenantActionContext, step: Step<T>): Promise<T> {
  const { actor, origin } = ctx;
  assertHostPermission(actor, step.permission ?? "admin.tenants.manage");
  let known = false;
  try {
    const result = await db.$transaction(async (tx) => {
      const [tenant] = await tx.$queryRaw<LockedTenant[]>`
        SELECT id, slug, name, status, software, "planId", revision, "deletedAt", "adminSuspendedAt"
        FROM "Community" WHERE id = ${step.communityId} FOR NO KEY UPDATE`;
      if (!tenant) throw new AppError("NOT_FOUND", TENANT_NOT_FOUND);
      known = true;
      if (tenant.revision !== step.revision) throw new AppError("CONFLICT", TENANT_CONFLICT);
      const outcome = await step.change(tx, tenant);
      // updateMany: an action may have removed the row (deleting a tenant that never ran).
      await tx.community.updateMany({ where: { id: tenant.id }, data: { revision: { increment: 1 } } });
      await recordAudit(tx, {
        actorId: actor.id,
        communityId: tenant.id,
        action: step.action,
        data: { ...step.data, ...outcome.data },
        origin,
        result: "SUCCEEDED",
      });
      return outcome.result;
    });
    if (step.after) {
      await step.after(result).catch((error: unknown) =>
        log.warn("tenant action: after-commit effect failed", { action: step.action, communityId: step.communityId, error: String(error) }),
      );
    }
    return result;
  } catch (error) {
    if (known) {
      const refused = error instanceof AppError;
      await recordAudit(db, {
        actorId: actor.id,
        communityId: step.communityId,
        action: step.action,
        data: { ...step.data, ...(refused ? { refused: error.message, ...(error.fields ? { fields: error.fields } : {}) } : {}) },
        origin,
        result: refused ? "REFUSED" : "FAILED",
      }).catch((auditError: unknown) => log.error("could not audit a failed tenant action", { error: String(auditError) }));
    }
    throw error;
  }
}
