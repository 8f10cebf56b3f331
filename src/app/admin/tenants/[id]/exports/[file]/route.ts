// GET /admin/tenants/<id>/exports/<file>: download one finished export archive of the tenant (host admins only)
import { getActor } from "@/server/auth/current-actor";
import { refuseBody } from "@/server/http/body-limit";
import { hasHostPermission } from "@/server/auth/permissions";
import { notFoundResponse } from "@/server/auth/host-permission";
import { findTenantId } from "@/server/admin/tenants/get-tenant";
import { exportDownload } from "@/server/exports/download-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string; file: string }> }) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const actor = await getActor();
  // The archive holds the instance's secrets: the permission to manage tenants, not only to see them.
  if (!hasHostPermission(actor, "admin.tenants.manage")) return notFoundResponse();
  const { id, file } = await params;
  const tenantId = await findTenantId(actor, id);
  return (tenantId && (await exportDownload(tenantId, file))) || notFoundResponse();
}
