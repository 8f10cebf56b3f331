import { AppError } from "@/server/errors/app-error";
import { instanceBusy, type TenantInstance } from "@/server/provisioning";

/**
 * Changes to a running instance (restart, upgrade, plan, export) wait until it is at rest:
 * acting on containers that a provisioning run is creating or stopping right now would race
 * with it. Changes of the desired state (suspend, resume, delete) are accepted at any time:
 * provisioning supersedes the run in progress at its next step.
 */
export function refuseWhileBusy(instance: TenantInstance | null, what: string): void {
  if (instance && instanceBusy(instance)) {
    throw new AppError(
      "CONFLICT",
      `The instance is in the middle of provisioning (${instance.phase.toLowerCase()}). ${what} once it has settled; suspend and delete work at any time.`,
    );
  }
}

export const DELETED_TENANT = "This tenant has been deleted.";

export function refuseDeleted(tenant: { deletedAt: Date | null }): void {
  if (tenant.deletedAt) throw new AppError("CONFLICT", DELETED_TENANT);
}
