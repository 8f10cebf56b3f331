// GET /account/exports/<community id>/<file>: the former owner of a deleted community downloads
// an archive the host keeps of it (the one made before deletion, above all). Anyone else, and any
// community that is not deleted (its owner uses its dashboard), gets the same 404 as a missing file.
import { getActor } from "@/server/auth/current-actor";
import { refuseBody } from "@/server/http/body-limit";
import { notFoundResponse } from "@/server/auth/host-permission";
import { deletedCommunityDownload } from "@/server/exports/download-export";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ community: string; file: string }> }) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const actor = await getActor();
  if (!actor) return notFoundResponse();
  const { community, file } = await params;
  return (await deletedCommunityDownload(actor, community, file)) ?? notFoundResponse();
}
