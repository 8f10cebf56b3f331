// The resumable upload of a move-in archive: the tus protocol (@tus/server, files in
// HEARTH_EXPORTS_DIR/.uploads, a folder only Hearth can read), behind GET-less routes at
// /api/move-in/uploads. Every request is the community owner's or gets a 404: a new upload
// names its community in its metadata, and each upload's id starts with its community's id, so
// later requests (resume, next chunk, cancel) are checked against that community. Sizes are
// capped by the plan's disk (Upload-Length and every request's body), and a community has one
// upload at a time: a new one removes its unfinished ones, so the disk holds at most one plan's
// worth per community. When the last byte has
// arrived the archive is checked and accepted (accept-move-in.ts) before the answer goes out: a
// refusal is a 422 whose body is the sentence for the field.
import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { FileStore } from "@tus/file-store";
import { Server } from "@tus/server";
import type { Actor } from "@/server/auth/permissions";
import { authorizeCommunity } from "@/server/auth/community-access";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { limitBodyStream, payloadTooLarge, refuseBody } from "@/server/http";
import { log } from "@/server/log";
import { acceptMoveIn, moveInLimitBytes } from "./accept-move-in";
import { exportsRoot } from "./exports-dir";
import { ArchiveRefused } from "./read-archive";

export const UPLOAD_PATH = "/api/move-in/uploads";
const COMMUNITY_HEADER = "x-hearth-move-in-community";
const ACTOR_HEADER = "x-hearth-move-in-actor";
const UPLOAD_ID = /^([a-z0-9]{1,64})-([0-9a-f]{32})$/;

export const uploadsDir = () => join(exportsRoot(), ".uploads");

const servers = new Map<string, Server>();

function tusServer(): Server {
  const directory = uploadsDir();
  const known = servers.get(directory);
  if (known) return known;
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const server = new Server({
    path: UPLOAD_PATH,
    datastore: new FileStore({ directory }),
    relativeLocation: true,
    respectForwardedHeaders: false,
    // The dashboard uploads from Hearth's own origin: no other origin gets CORS permission.
    allowedOrigins: () => false,
    namingFunction: (req) => `${req.headers.get(COMMUNITY_HEADER)}-${randomBytes(16).toString("hex")}`,
    maxSize: (req, id) => moveInLimitBytes(UPLOAD_ID.exec(id ?? "")?.[1] ?? req.headers.get(COMMUNITY_HEADER) ?? ""),
    onUploadFinish: async (req, upload) => {
      const communityId = UPLOAD_ID.exec(upload.id)?.[1];
      if (!communityId) throw { status_code: 404, body: "Not Found" };
      const path = join(directory, upload.id);
      try {
        const accepted = await acceptMoveIn(communityId, path, req.headers.get(ACTOR_HEADER));
        return { status_code: 204, headers: { "Hearth-Move-In-Archive": accepted.archive } };
      } catch (error) {
        if (error instanceof AppError) throw { status_code: 422, body: error.message };
        log.warn("move-in: the archive could not be checked", { communityId, error: error instanceof Error ? error.message : String(error) });
        throw { status_code: 500, body: "The archive could not be checked because of a problem on this host. Try again later." };
      } finally {
        await rm(`${path}.json`, { force: true });
      }
    },
    // tus's own errors carry a status; anything else says nothing of itself.
    onResponseError: (_req, error) => {
      if ("status_code" in error) return undefined;
      log.warn("move-in upload failed", { error: error.message });
      return { status_code: 500, body: "The upload failed on this host. Try again; it resumes where it stopped." };
    },
  });
  servers.set(directory, server);
  return server;
}

function metadata(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? "").split(",")) {
    const [key, value] = pair.trim().split(" ");
    if (key) out[key] = value ? Buffer.from(value, "base64").toString("utf8") : "";
  }
  return out;
}

const text = (status: number, body: string) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "tus-resumable": "1.0.0" } });

/** The community a new upload is for: the actor's, with permission to restore, moving in and not set up yet. */
async function communityForNewUpload(actor: Actor, slug: string): Promise<string> {
  const { community } = await authorizeCommunity(actor, slug, "instance.restore");
  const row = await db.community.findUnique({ where: { id: community.id }, select: { moveIn: { select: { communityId: true } }, instance: { select: { secretsSealed: true } } } });
  if (!row?.moveIn) throw new ArchiveRefused("This community did not choose to move in from an export.");
  if (row.instance?.secretsSealed) throw new ArchiveRefused("This community's server has already been set up: an archive can no longer be moved in.");
  return community.id;
}

/** The uploads in the upload folder (data, tus's `.json`, or both): upload id -> community id. */
export async function listUploads(): Promise<Map<string, string>> {
  const uploads = new Map<string, string>();
  for (const name of await readdir(uploadsDir()).catch(() => [] as string[])) {
    const id = name.replace(/\.json$/, "");
    const communityId = UPLOAD_ID.exec(id)?.[1];
    if (communityId) uploads.set(id, communityId);
  }
  return uploads;
}

/** Removes one upload: its data and tus's `.json` beside it. */
export async function removeUpload(id: string): Promise<void> {
  await Promise.all([rm(join(uploadsDir(), id), { force: true }), rm(join(uploadsDir(), `${id}.json`), { force: true })]);
}

/** Removes the community's unfinished uploads. */
async function removeUnfinishedUploads(communityId: string): Promise<void> {
  const uploads = await listUploads();
  await Promise.all([...uploads].filter(([, owner]) => owner === communityId).map(([id]) => removeUpload(id)));
}

/** The community of an existing upload, when the actor may restore onto it. */
async function communityOfUpload(actor: Actor, id: string): Promise<string | null> {
  const communityId = UPLOAD_ID.exec(id)?.[1];
  if (!communityId) return null;
  const row = await db.community.findUnique({ where: { id: communityId }, select: { slug: true } });
  if (!row) return null;
  await authorizeCommunity(actor, row.slug, "instance.restore");
  return communityId;
}

/** Every tus request of /api/move-in/uploads; `actor` is null for a stranger (404). */
export async function handleMoveInUpload(request: Request, actor: Actor | null): Promise<Response> {
  if (request.method === "OPTIONS") return refuseBody(request) ?? tusServer().handleWeb(request);
  if (!actor) return text(404, "Not Found");
  const headers = new Headers(request.headers);
  headers.delete(COMMUNITY_HEADER);
  headers.set(ACTOR_HEADER, actor.id);
  let communityId: string | null;
  try {
    if (request.method === "POST") {
      const slug = metadata(request.headers.get("upload-metadata")).community ?? "";
      communityId = await communityForNewUpload(actor, slug);
      headers.set(COMMUNITY_HEADER, communityId);
    } else {
      const id = new URL(request.url).pathname.slice(UPLOAD_PATH.length + 1);
      communityId = await communityOfUpload(actor, id);
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return text(404, "Not Found");
    if (error instanceof AppError) return text(422, error.message);
    throw error;
  }
  if (!communityId) return text(404, "Not Found");
  const limit = await moveInLimitBytes(communityId);
  const declared = Number(request.headers.get("upload-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) return payloadTooLarge(limit);
  // One upload at a time per community: a new one replaces any it left unfinished.
  if (request.method === "POST") await removeUnfinishedUploads(communityId);
  const inner = new Request(request.url, { method: request.method, headers, body: request.body, signal: request.signal, duplex: "half" } as RequestInit);
  const bounded = request.method === "PATCH" || request.method === "POST" ? limitBodyStream(inner, limit) : (refuseBody(inner) ?? inner);
  if (bounded instanceof Response) return bounded;
  return tusServer().handleWeb(bounded);
}
