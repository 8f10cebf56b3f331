// Serving a finished export archive: streamed from disk, never read into memory. Who may
// download is decided by the route (host admin, or the community's owner); this only ever
// looks inside the folder of the community it is given.
import "server-only";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { Actor } from "@/server/auth/permissions";
import { authorizeCommunity } from "@/server/auth/community-access";
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
