// The worker's side of restart and export. Operations are claimed with FOR UPDATE SKIP
// LOCKED, so several workers never take the same one. The worker running one bumps its
// heartbeat every minute; one whose heartbeat is older than STALE_MS belonged to a worker
// that died and is taken again (a restart is safe to repeat; an export starts over). A
// worker that was presumed dead but was not cannot overwrite the new attempt's outcome.
import "server-only";
import type { TenantOperation } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { repeat, type Repeating } from "@/server/worker/repeat";
import { queueExportReady } from "./export-ready-mail";
import { abandonRestore, exportTenant, restoreTenant, verifyTenantExport } from "@/server/exports";
import { restartTenantContainers } from "@/server/provisioning";

async function perform(operation: TenantOperation, progress: (detail: string) => Promise<void>): Promise<string> {
  const archive = operation.archive ?? "";
  switch (operation.kind) {
    case "RESTART":
      return restartTenantContainers(operation.communityId, progress);
    case "EXPORT":
      return exportTenant(operation.communityId, progress);
    case "RESTORE":
      return restoreTenant(operation.communityId, archive, progress);
    case "VERIFY":
      return verifyTenantExport(operation.communityId, archive, progress);
  }
}

export const STALE_MS = 15 * 60_000;
const HEARTBEAT_MS = 60_000;
const MAX_ATTEMPTS = 3;

/** Takes the oldest due operation (of one tenant, when given), or null. */
export async function claimOperation(now = new Date(), communityId?: string): Promise<TenantOperation | null> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "TenantOperation"
      WHERE (state = 'QUEUED' OR (state = 'RUNNING' AND COALESCE("heartbeatAt", "startedAt") < ${new Date(now.getTime() - STALE_MS)}))
        AND (${communityId ?? null}::text IS NULL OR "communityId" = ${communityId ?? null})
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (!row) return null;
    return tx.tenantOperation.update({
      where: { id: row.id },
      data: { state: "RUNNING", startedAt: now, heartbeatAt: now, attempts: { increment: 1 } },
    });
  });
}

export async function runOperation(operation: TenantOperation): Promise<void> {
  // Every write names this attempt: once another worker has taken the operation again, this one's writes change nothing.
  const mine = { id: operation.id, attempts: operation.attempts, state: "RUNNING" as const };
  const progress = (detail: string) => db.tenantOperation.updateMany({ where: mine, data: { detail, heartbeatAt: new Date() } }).then(() => {});
  const heartbeat = setInterval(() => {
    db.tenantOperation
      .updateMany({ where: mine, data: { heartbeatAt: new Date() } })
      .catch((error: unknown) => log.warn("tenant operation heartbeat failed", { id: operation.id, error: String(error) }));
  }, HEARTBEAT_MS);
  try {
    if (operation.attempts > MAX_ATTEMPTS) {
      // A restore left half done by dead workers is put back as it was before giving up.
      if (operation.kind === "RESTORE") await abandonRestore(operation.communityId);
      throw new Error(`gave up after ${MAX_ATTEMPTS} attempts (the worker stopped during each)`);
    }
    const detail = await perform(operation, progress);
    await db.$transaction(async (tx) => {
      const { count } = await tx.tenantOperation.updateMany({ where: mine, data: { state: "SUCCEEDED", detail, error: null, finishedAt: new Date() } });
      if (count === 1 && operation.kind === "EXPORT") await queueExportReady(tx, operation, detail);
    });
    log.info("tenant operation succeeded", { id: operation.id, kind: operation.kind, communityId: operation.communityId });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.tenantOperation.updateMany({ where: mine, data: { state: "FAILED", error: message.slice(0, 2000), finishedAt: new Date() } });
    log.warn("tenant operation failed", { id: operation.id, kind: operation.kind, communityId: operation.communityId, error: message });
  } finally {
    clearInterval(heartbeat);
  }
}

/** Runs every due operation (of one tenant, when given), one after another; returns how many ran. */
export async function runDueOperations(communityId?: string): Promise<number> {
  let count = 0;
  for (let op = await claimOperation(new Date(), communityId); op; op = await claimOperation(new Date(), communityId)) {
    await runOperation(op);
    count += 1;
  }
  return count;
}

/** The worker loop: polls every intervalMs (a cheap indexed query); stop() waits for the current run. */
export function startOperationsLoop(intervalMs = 2_000): Repeating {
  return repeat("tenant operations loop", runDueOperations, { everyMs: () => intervalMs });
}
