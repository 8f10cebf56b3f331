// The restore and verify jobs (the worker runs them): restore one of the community's archives
// under the instance lock, put an instance back after a restore whose worker died every time,
// and verify an archive in a throwaway database.
import "server-only";
import { db } from "@/server/db/client";
import { withInstanceQuiet } from "@/server/provisioning";
import { recoverInterruptedRestore, restoreInstance } from "./restore-instance";
import { describeVerification, verifyExport } from "./verify-export";

/** Restores one of the community's archives under the instance lock (see restore-instance.ts). */
export async function restoreTenant(communityId: string, archive: string, progress: (detail: string) => Promise<void>): Promise<string> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  if (!instance) throw new Error("The tenant has no instance any more: nothing was restored.");
  return withInstanceQuiet(instance.id, "restored", () => restoreInstance(communityId, archive, progress));
}

/** A restore whose worker died every time: put the instance back as it was, under the lock. */
export async function abandonRestore(communityId: string): Promise<void> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  if (instance) await withInstanceQuiet(instance.id, "changed", () => recoverInterruptedRestore(communityId));
}

/** Verifies one archive (a throwaway database in the tenant's database container). */
export async function verifyTenantExport(communityId: string, archive: string, progress: (detail: string) => Promise<void>): Promise<string> {
  return describeVerification(archive, await verifyExport(communityId, archive, progress));
}
