// GET /dashboard/<slug>/exports/<file>: the community's owner downloads one finished export archive
import { getActor } from "@/server/auth/current-actor";
import { refuseBody } from "@/server/http/body-limit";
import { notFoundResponse } from "@/server/auth/host-permission";
import { exportDownload, isRefusal, ownerExports } from "@/server/exports/download-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; file: string }> }) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const actor = await getActor();
  if (!actor) return notFoundResponse();
  const { slug, file } = await params;
  try {
    const { communityId } = await ownerExports(actor, slug);
    return (await exportDownload(communityId, file)) ?? notFoundResponse();
  } catch (error) {
    // Not a member, or a member without the permission: the same answer as a name that does not exist.
    if (isRefusal(error)) return notFoundResponse();
    throw error;
  }
}
