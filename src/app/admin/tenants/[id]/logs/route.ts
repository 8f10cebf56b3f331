// GET /admin/tenants/<id>/logs?component=<name|all>&tail=<lines>: the tenant's container logs, live, as Server-Sent Events (host admins only)
import type { NextRequest } from "next/server";
import { getActor } from "@/server/auth/current-actor";
import { hasHostPermission } from "@/server/auth/permissions";
import { AppError, toHttpError } from "@/server/errors/app-error";
import { notFoundResponse } from "@/server/auth/host-permission";
import { findTenantId } from "@/server/admin/tenants/get-tenant";
import { logsQuerySchema, openTenantLogs } from "@/server/admin/tenants/tenant-logs";
import { refuseBody } from "@/server/http/body-limit";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const actor = await getActor();
  if (!hasHostPermission(actor, "admin.dashboard")) return notFoundResponse();
  const { id } = await params;
  try {
    const query = logsQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
    const tenantId = await findTenantId(actor, id);
    if (!tenantId) throw new AppError("NOT_FOUND", "There is no such tenant.");
    const body = await openTenantLogs({ communityId: tenantId, actorId: actor!.id, query, signal: request.signal });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  } catch (error) {
    const { status, body } = toHttpError(error);
    return Response.json(body, { status });
  }
}
