// Serving a finished export archive: streamed from disk, never read into memory. Who may
// download is decided by the route (host admin, the community's owner, or its former owner once
// it is deleted); this only ever looks inside the folder of the community it is given.
import "server-only";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { Actor } from "@/server/auth/permissions";
import { authorizeCommunity } from "@/server/auth/community-access";
import { deletedByThemselves, takeBack, takeBackSelect } from "@/server/communities";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { findExport, listExports, type ExportArchive } from "./exports-dir";

/** The archive as a download, or null when the name is not one of this community's archives. */
export async function exportDownload(communityId: string, name: string): Promise<Response | null> {
  const archive = await findExport(communityId, name);
  if (!archive) return null;
  const body = Readable.toWeb(createReadStream(archive.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": "application/gzip",
      "content-length": String(archive.size),
      // The name passed findExport's pattern: letters, digits, dashes and dots only.
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/** The community's archives for its owner (the archives hold the instance's secrets). */
export async function ownerExports(actor: Actor, slug: string): Promise<{ communityId: string; archives: ExportArchive[] }> {
  const { community } = await authorizeCommunity(actor, slug, "instance.export");
  return { communityId: community.id, archives: await listExports(community.id) };
}

/** Turns the refusals of ownerExports into the one answer a route gives: not found. */
export function isRefusal(error: unknown): boolean {
  return error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN");
}

export type DeletedCommunityExports = {
  id: string;
  name: string;
  deletedAt: Date;
  archives: ExportArchive[];
  /** Deleted with "export first", and that export is not written yet. */
  exporting: boolean;
  /** Its removal failed and is retried (the export first among it, when one was asked for). */
  removalFailed: boolean;
  /** Its server is still being taken down: it can be brought back once that is done. */
  tearingDown: boolean;
  /** This person may bring it back under its names, now or once its server is gone (move-back-in.ts). */
  canMoveBackIn: boolean;
};

/**
 * The communities this person owned and deleted (or a host admin deleted), newest first, with
 * the archives the host still keeps of them: the archive made before deletion is theirs to take.
 * Only those with an archive, or one still to be made, are listed.
 */
export async function deletedCommunityExports(actor: Actor): Promise<DeletedCommunityExports[]> {
  const communities = await db.community.findMany({
    where: { ownerId: actor.id, deletedAt: { not: null } },
    select: { ...takeBackSelect, instance: { select: { phase: true, exportFirst: true } } },
    orderBy: { deletedAt: "desc" },
    take: 50,
  });
  const themselves = await deletedByThemselves(actor, communities.map((c) => c.id));
  const listed = await Promise.all(
    communities.map(async (c) => {
      const deletedAt = c.deletedAt!;
      const archives = await listExports(c.id);
      const tearingDown = Boolean(c.instance && c.instance.phase !== "DELETED");
      return {
        id: c.id,
        name: c.name,
        deletedAt,
        archives,
        // The export runs first, then the teardown: an archive written since the deletion is it.
        exporting: Boolean(c.instance?.exportFirst) && tearingDown && !archives.some((a) => a.createdAt >= deletedAt),
        removalFailed: c.instance?.phase === "ERROR",
        tearingDown,
        canMoveBackIn: takeBack(c, actor, themselves.has(c.id)) !== "never",
      };
    }),
  );
  return listed.filter((c) => c.archives.length > 0 || c.exporting);
}

/** A deleted community's archive for its former owner; null for anyone else, or any other name. */
export async function deletedCommunityDownload(actor: Actor, communityId: string, name: string): Promise<Response | null> {
  const community = await db.community.findFirst({ where: { id: communityId, ownerId: actor.id, deletedAt: { not: null } }, select: { id: true } });
  return community ? exportDownload(community.id, name) : null;
}
