// Where export archives live: HEARTH_EXPORTS_DIR (default HEARTH_DATA_DIR/exports), one folder
// per community (named by its id), finished archives only under their final names. A name that
// comes from a request is checked against the one shape Hearth writes before it touches a path,
// so no name can reach outside its community's folder.
import "server-only";
import { randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { env } from "@/server/config/env";

export function exportsRoot(): string {
  const config = env();
  // A folder chosen at run time, not part of the app: the build must not trace it.
  return resolve(/* turbopackIgnore: true */ config.HEARTH_EXPORTS_DIR ?? join(config.HEARTH_DATA_DIR, "exports"));
}

// Community ids are cuids; checked anyway, since one becomes a folder name.
const communityIdSchema = z.string().regex(/^[a-z0-9]{1,64}$/);

export function communityExportsDir(communityId: string): string {
  return join(exportsRoot(), communityIdSchema.parse(communityId));
}

/** slug-YYYYMMDD-HHMMSS-xxxxxx.tar.gz: nothing else is ever served. */
export const archiveNameSchema = z
  .string()
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]{0,80}-\d{8}-\d{6}-[0-9a-f]{6}\.tar\.gz$/, "This is not the name of an export archive.");

export function archiveName(slug: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return archiveNameSchema.parse(`${slug}-${stamp}-${randomBytes(3).toString("hex")}.tar.gz`);
}

export type ExportArchive = { name: string; size: number; createdAt: Date };

/** The community's finished archives, newest first (none when the folder does not exist yet). */
export async function listExports(communityId: string): Promise<ExportArchive[]> {
  const dir = communityExportsDir(communityId);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
  const archives = await Promise.all(
    names
      .filter((name) => archiveNameSchema.safeParse(name).success)
      .map(async (name) => {
        const info = await stat(join(dir, name));
        return { name, size: info.size, createdAt: info.mtime };
      }),
  );
  return archives.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** How many archives a community keeps: each is a whole copy of the instance, so disks do not fill up with them. */
export const EXPORTS_KEPT = 5;

/** Removes all but the newest `keep` archives of the community (and any named in `spare`); returns the names removed. */
export async function pruneExports(communityId: string, keep = EXPORTS_KEPT, spare: string[] = []): Promise<string[]> {
  const old = (await listExports(communityId)).slice(keep).filter((a) => !spare.includes(a.name));
  for (const archive of old) {
    await rm(join(communityExportsDir(communityId), archive.name), { force: true });
    await rm(join(communityExportsDir(communityId), `${archive.name}.verify.json`), { force: true });
  }
  return old.map((archive) => archive.name);
}

/** The path and size of one finished archive of this community, or null (bad name or absent). */
export async function findExport(communityId: string, name: string): Promise<{ path: string; size: number } | null> {
  const parsed = archiveNameSchema.safeParse(name);
  if (!parsed.success || basename(parsed.data) !== parsed.data) return null;
  const path = join(communityExportsDir(communityId), parsed.data);
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : null;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    throw error;
  }
}
