// Provisioning's public entry: everything other domains (funding, exports, the admin area) may
// use. Say what an instance should be (setDesiredState, or requestState inside your own
// transaction) and the worker makes it so; exports reuse the Docker pieces below.
export { setDesiredState, desiredStateSchema, type DesiredState, type SetDesiredStateOptions } from "./set-desired-state";
export {
  hasServerData,
  instanceBusy,
  lockInstance,
  reapply,
  requestState,
  startNewInstance,
  wakeInstance,
  type TenantInstance,
} from "./tenant-instance";
export { instanceRequestSchema } from "./instance-requests";
export { withInstanceQuiet } from "./instance-lock";
export { restartTenantContainers } from "./restart-containers";
export { retryInstanceNow } from "./retry-instance";
export { registerInstanceExporter, type ExportRequest, type InstanceExporter } from "./export-hook";
export { registerMoveInRestorer, sealMovedSecrets, type MovedSecrets, type MoveInRestorer } from "./move-in-hook";
// The Docker pieces an export drives (src/server/exports).
export { execIn, execStreaming, waitExitedOk, waitHealthy } from "./container-io";
export { volumeName } from "./container-spec";
export { objectName, tenantLabels } from "./naming";
export { describeStepFailure, StepError } from "./docker-errors";
export { startContainer, stopContainer, tenantContainersByComponent } from "./docker-objects";
export type { ObservedContainer } from "./observe";
export { loadInstance, planContext, type PlanContext } from "./run-plan-context";
export { tarStream, type TarFile } from "./tar";
export { mediaFolder, pdsDomainProblem, type ComponentSpec, type TenantTemplate } from "./templates";
// The ingress (./ingress): the on-demand certificate rule for GET /api/ingress/ask, an
// instance's public address for pages, the ingress's state for the health check, and its
// settings for the own-domain check (src/server/domains).
export { allowCertificate } from "./ingress/allow-certificate";
export { instanceAddress } from "./ingress/instance-address";
export { readIngressState, type IngressState } from "./ingress/ingress-state";
export { ingressSettings, LETS_ENCRYPT, type IngressSettings } from "./ingress/settings";
export { checkImageAvailability, forgetImageAvailability, imagesUnavailable, lastImageAvailability, unavailableSoftware } from "./image-availability";
