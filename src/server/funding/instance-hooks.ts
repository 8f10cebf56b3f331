// What funding asks of provisioning, in one place. Entering FUNDED asks for the instance to
// run (provisioned the first time, resumed after a suspension); entering SUSPENDED asks for
// it to stop. Funding never asks for "deleted", and never asks anything of a deleted community.
//
// Requests are written with the transition (FundingTransition.instanceRequest) and
// delivered here after the commit; a failed delivery stays pending and the worker's funding
// clock retries it, so a crash between the two loses nothing.
import "server-only";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { setDesiredState } from "@/server/provisioning";

export type InstanceRequest = "running" | "stopped";
export type SetDesiredState = (communityId: string, state: InstanceRequest) => Promise<unknown>;

// Provisioning's API: idempotent, so a request delivered twice changes nothing.
const provisioningSetDesiredState: SetDesiredState = setDesiredState;

let driver: SetDesiredState = provisioningSetDesiredState;

/** Tests only: observe or fail instance requests. Returns a function that restores the previous driver. */
export function replaceInstanceDriverForTests(replacement: SetDesiredState): () => void {
  const previous = driver;
  driver = replacement;
  return () => {
    driver = previous;
  };
}

/**
 * Delivers pending instance requests, oldest community first; per community only the
 * newest request matters (a later transition supersedes an earlier one). A community
 * suspended by a host admin is never started by funding: the admin's resume decides. A first
 * "running" for a community whose own domain is not verified yet waits (stays pending).
 */
export async function deliverInstanceRequests(communityIds?: string[]): Promise<number> {
  const pending = await db.fundingTransition.findMany({
    where: {
      instanceRequest: { not: null },
      instanceRequestDoneAt: null,
      ...(communityIds ? { communityId: { in: communityIds } } : {}),
    },
    orderBy: { seq: "asc" },
    select: { id: true, seq: true, communityId: true, instanceRequest: true },
    take: 500,
  });
  const latest = new Map<string, (typeof pending)[number]>();
  for (const row of pending) latest.set(row.communityId, row);

  let delivered = 0;
  for (const request of latest.values()) {
    const state = request.instanceRequest as InstanceRequest;
    try {
      const community = await db.community.findUnique({
        where: { id: request.communityId },
        select: { adminSuspendedAt: true, deletedAt: true, domainOwn: true, domainVerifiedAt: true, instance: { select: { id: true } } },
      });
      if (state === "running" && community && !community.deletedAt && community.domainOwn && !community.domainVerifiedAt && !community.instance) {
        // An own domain is set up only once its DNS records point here: the request stays pending
        // (the funding clock tries again; "Check DNS now" delivers it once the domain is verified).
        log.info("instance request waits for the community's own domain to be verified", { communityId: request.communityId });
        continue;
      }
      if (community && !community.deletedAt && !(state === "running" && community.adminSuspendedAt)) {
        await driver(request.communityId, state);
        delivered += 1;
      } else {
        // A deleted community's instance is deleting or gone: funding never moves it again.
        log.info("instance request skipped", { communityId: request.communityId, why: community?.deletedAt ? "deleted" : "suspended by a host admin" });
      }
      await db.fundingTransition.updateMany({
        where: { communityId: request.communityId, instanceRequestDoneAt: null, seq: { lte: request.seq } },
        data: { instanceRequestDoneAt: new Date() },
      });
    } catch (error) {
      log.error("instance request failed; the funding clock retries it", {
        communityId: request.communityId,
        state,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return delivered;
}
