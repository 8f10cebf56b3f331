// Export before deletion. The export feature is a later issue: it registers its exporter here
// (in the worker, at start-up). Until then a deletion that asks for an export stops, deletes
// nothing, and says why, rather than destroying data the organiser wanted to keep.
import "server-only";
import { StepError } from "./docker-errors";

export type InstanceExporter = (input: { instanceId: string; communityId: string }) => Promise<void>;

let exporter: InstanceExporter | undefined;

export function registerInstanceExporter(fn: InstanceExporter | undefined): void {
  exporter = fn;
}

export async function exportBeforeDelete(input: { instanceId: string; communityId: string }): Promise<void> {
  if (!exporter) {
    throw new StepError(
      "An export before deletion was asked for, but exports are not available yet. Nothing was deleted. " +
        "Ask again without an export, or wait until exports are available.",
    );
  }
  await exporter(input);
}
