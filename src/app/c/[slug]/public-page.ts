// Everything /c/<slug> shows, read once per request (React `cache`: the page's metadata and
// its body share it) and, for visitors who are not signed in, kept between requests
// (communities/public-page-cache.ts). Signed-in people get fresh reads: drafts they may see
// and the "manage" link depend on who they are. Here, beside the page, because it puts three
// domains together (communities, metrics, funding).
import "server-only";
import { cache } from "react";
import { getActor } from "@/server/auth/current-actor";
import type { Actor } from "@/server/auth/permissions";
import { getFundingSummary } from "@/server/funding/get-funding-summary";
import { getInstanceState } from "@/server/metrics/instance-state";
import { getPublicCommunity } from "@/server/communities/get-public-community";
import { cachedPublic } from "@/server/communities/public-page-cache";

async function read(slug: string, actor: Actor | null) {
  const community = await getPublicCommunity(slug, actor);
  if (!community) return null;
  const [instanceState, funding] = await Promise.all([getInstanceState(community.id), getFundingSummary(community.id)]);
  return { community, instanceState, funding };
}

export type PublicPage = NonNullable<Awaited<ReturnType<typeof read>>>;

export const getPublicPage = cache(async (slug: string): Promise<PublicPage | null> => {
  const actor = await getActor();
  if (actor) return read(slug, actor);
  return cachedPublic(`community:${slug}`, () => read(slug, null), (page) => page.community.id);
});
