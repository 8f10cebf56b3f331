// Names and labels of a tenant's Docker objects. Names are deterministic (installation, slug,
// role), which is what makes every create idempotent: a resumed step finds what an earlier,
// interrupted attempt made instead of making a second one.
import { LABEL } from "@/server/docker/labels";

export type TenantRef = { installationId: string; tenantId: string; slug: string };

/** e.g. hearth-1a2b3c4d-birdsite-web */
export function objectName(tenant: TenantRef, role: string): string {
  return `hearth-${tenant.installationId.replace(/-/g, "").slice(0, 8)}-${tenant.slug}-${role}`;
}

export function tenantLabels(tenant: TenantRef, component: string): Record<string, string> {
  return {
    [LABEL.installation]: tenant.installationId,
    [LABEL.tenant]: tenant.tenantId,
    [LABEL.component]: component,
  };
}

/** Label with the hash of a container's desired spec: a changed spec means recreate. */
export const SPEC_LABEL = "hearth.spec";
