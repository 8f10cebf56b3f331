// The exports' public entry: what other domains (the admin area's jobs) may use.
export { describeExport, exportInstance } from "./export-instance";
export { exportTenant } from "./export-tenant";
export { abandonRestore, restoreTenant, verifyTenantExport } from "./restore-tenant";
export { findExport } from "./exports-dir";
export { exclusive } from "./operation-kinds";
