// The instance's state in plain words, for the public community page: what a member
// needs to know, without figures.
import "server-only";
import type { LoadState } from "@/generated/prisma/client";
import { db } from "@/server/db/client";

export const STATE_WORDS: Record<LoadState, { label: string; sentence: string; tone: "ok" | "warn" | "bad" }> = {
  HEALTHY: { label: "Running normally", sentence: "The server is running normally.", tone: "ok" },
  HEAVY_LOAD: {
    label: "Under heavy load",
    sentence: "The server is under heavy load, so it may be slow. The organisers have been told.",
    tone: "warn",
  },
  UNHEALTHY: {
    label: "Having problems",
    sentence: "Part of the server is not working properly. The organisers and the host have been told.",
    tone: "bad",
  },
  DOWN: {
    label: "Down",
    sentence: "The server is down at the moment. The organisers and the host have been told.",
    tone: "bad",
  },
};

export type InstanceState = { state: LoadState; since: Date } & (typeof STATE_WORDS)[LoadState];

/** The instance's current state, or null when it is not running as a live instance (yet). */
export async function getInstanceState(communityId: string): Promise<InstanceState | null> {
  const row = await db.tenantLoad.findFirst({
    where: { communityId, community: { status: "LIVE" } },
    select: { state: true, stateSince: true },
  });
  return row ? { state: row.state, since: row.stateSince, ...STATE_WORDS[row.state] } : null;
}
