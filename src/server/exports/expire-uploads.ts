// The worker's clean-up of move-in uploads (HEARTH_EXPORTS_DIR/.uploads). An upload resumes
// for as long as its files are there, so an unfinished one is kept a week after its last byte;
// after that, or once its community is gone or can no longer move in (deleted, set up, no
// move-in chosen), its data and tus's `.json` beside it are removed. Without this, an upload
// abandoned half-way holds up to a plan's disk forever.
import "server-only";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { repeat, type Repeating } from "@/server/worker/repeat";
import { listUploads, removeUpload, uploadsDir } from "./move-in-upload";

export const UPLOAD_KEPT_MS = 7 * 24 * 60 * 60_000;
const EXPIRE_EVERY_MS = 60 * 60_000;

/** When the upload last changed: the newest of its data and its `.json` (null when both are gone). */
async function lastTouched(directory: string, id: string): Promise<number | null> {
  const times = await Promise.all([id, `${id}.json`].map((name) => stat(join(directory, name)).then((s) => s.mtimeMs, () => null)));
  const known = times.filter((t): t is number => t !== null);
  return known.length ? Math.max(...known) : null;
}

/** Removes the uploads past their week and those whose community can no longer take them; returns how many. */
export async function expireUploads(now = new Date()): Promise<number> {
  const uploads = await listUploads();
  if (!uploads.size) return 0;
  const communities = await db.community.findMany({
    where: { id: { in: [...new Set(uploads.values())] }, deletedAt: null, moveIn: { isNot: null } },
    select: { id: true, instance: { select: { secretsSealed: true } } },
  });
  const open = new Set(communities.filter((c) => !c.instance?.secretsSealed).map((c) => c.id));
  let removed = 0;
  for (const [id, communityId] of uploads) {
    const touched = await lastTouched(uploadsDir(), id);
    const stale = touched !== null && now.getTime() - touched > UPLOAD_KEPT_MS;
    if (open.has(communityId) && !stale) continue;
    await removeUpload(id);
    removed += 1;
  }
  if (removed) log.info("removed move-in uploads", { removed });
  return removed;
}

/** Expires uploads now and then every hour until stopped. */
export function startUploadExpiry(): Repeating {
  return repeat("expiring move-in uploads", expireUploads, { everyMs: () => EXPIRE_EVERY_MS, stopWaitMs: 5_000 });
}
