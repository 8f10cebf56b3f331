// POST, HEAD, PATCH, DELETE, OPTIONS /api/move-in/uploads[/<id>]: the resumable (tus) upload of a community's move-in archive, by its owner
import { getActor } from "@/server/auth/current-actor";
import { handleMoveInUpload } from "@/server/exports/move-in-upload";

// Bodies stream to disk (Node runtime); each request's body is bounded inside handleMoveInUpload (limitBodyStream, refuseBody).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return handleMoveInUpload(request, request.method === "OPTIONS" ? null : await getActor());
}

export const POST = handle;
export const HEAD = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
