// Called by the worker at start-up: deletions that ask for an export first use this exporter
// (provisioning's export hook). The reconcile pass of the deletion holds the instance lock.
import "server-only";
import { registerInstanceExporter } from "@/server/provisioning";
import { describeExport, exportInstance } from "./export-instance";

export function registerExporter(): void {
  registerInstanceExporter(async ({ communityId, progress }) => describeExport(await exportInstance(communityId, progress)));
}
