// The admin's export job (the worker runs it): the same exporter a deletion uses, under the
// instance lock.
import "server-only";
import { db } from "@/server/db/client";
import { withInstanceQuiet } from "@/server/provisioning";
import { describeExport, exportInstance } from "./export-instance";

/**
 * Exports the instance into its exports folder (src/server/exports), under the instance lock so
 * that no provisioning run stops or changes it halfway; the same exporter a deletion uses.
 */
export async function exportTenant(communityId: string, progress: (detail: string) => Promise<void>): Promise<string> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  if (!instance) throw new Error("The tenant has no instance any more: nothing was exported.");
  return withInstanceQuiet(instance.id, "exported", async () => describeExport(await exportInstance(communityId, progress)));
}
