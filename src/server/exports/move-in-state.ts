// What the dashboard says about a community that moves in: whether an archive is still wanted
// (until its server is set up), which one was accepted, whether its data is in.
import "server-only";
import { db } from "@/server/db/client";
import { moveInLimitBytes } from "./accept-move-in";

export type MoveInState = {
  archive: string | null;
  size: number | null;
  version: string | null;
  restored: boolean;
  /** An archive may (still) be uploaded: the server has not been set up. */
  open: boolean;
  limitBytes: number;
};

export async function moveInState(communityId: string): Promise<MoveInState | null> {
  const row = await db.moveIn.findUnique({
    where: { communityId },
    select: { archive: true, size: true, version: true, restoredAt: true, community: { select: { instance: { select: { secretsSealed: true } } } } },
  });
  if (!row) return null;
  return {
    archive: row.archive,
    size: row.size === null ? null : Number(row.size),
    version: row.version,
    restored: row.restoredAt !== null,
    open: !row.community.instance?.secretsSealed,
    limitBytes: await moveInLimitBytes(communityId),
  };
}
