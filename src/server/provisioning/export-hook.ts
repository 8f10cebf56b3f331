// Export before deletion. The exporter (src/server/exports) is registered here by the worker at
// start-up. Without one, a deletion that asks for an export stops, deletes nothing, and says
// why, rather than destroying data the organiser wanted to keep.
import "server-only";
import { StepError } from "./docker-errors";

export type ExportRequest = { instanceId: string; communityId: string; progress: (detail: string) => void };
/** Resolves with a line for the timeline (e.g. the archive's name) once the export is complete. */
export type InstanceExporter = (input: ExportRequest) => Promise<string | void>;

let exporter: InstanceExporter | undefined;

export function registerInstanceExporter(fn: InstanceExporter | undefined): void {
  exporter = fn;
}

export async function exportBeforeDelete(input: ExportRequest): Promise<string | void> {
  if (!exporter) {
    throw new StepError(
      "An export before deletion was asked for, but exports are not available yet. Nothing was deleted. " +
        "Ask again without an export, or wait until exports are available.",
    );
  }
  return exporter(input);
}
