// Before an archive is used (restore, move in, verify): it is unpacked safely into a staging
// folder, its manifest read through zod, every file it lists checked for size and sha256, nothing
// unlisted accepted, and the media tar checked entry by entry. Archives written before row counts
// were added (no `rowCounts`) are accepted; verification then says it cannot compare.
import "server-only";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { ArchiveRefused, checkInnerTar, DEFAULT_LIMITS, extractArchive, type ArchiveLimits } from "./read-archive";

export const MANIFEST_FORMAT = "hearth-instance-export/1";

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  software: z.enum(["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"]),
  version: z.string().max(200),
  domain: z.string().max(253),
  community: z.string().max(100).optional(),
  createdAt: z.string().max(40),
  files: z.array(z.object({ path: z.string().max(500), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), what: z.string().max(500).optional() })).max(1000),
  /** Rows per table ("schema.table"), counted by the exporter; absent in older archives. */
  rowCounts: z.record(z.string().max(200), z.number().int().nonnegative()).optional(),
  notes: z.array(z.string().max(2000)).max(50).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A PDS archive's volume tars and the one folder each must hold (templates/pds.ts's mounts). */
const PDS_VOLUMES = [
  ["data", "pds"],
  ["blobs", "blobs"],
] as const;

export type CheckedArchive = { dir: string; manifest: Manifest; file: (name: string) => string | undefined };

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** Unpacks and checks; `staging` must be an empty folder of ours. Throws ArchiveRefused with a sentence for people. */
export async function checkArchive(archive: string, staging: string, limits: ArchiveLimits = DEFAULT_LIMITS, mediaTop?: string): Promise<CheckedArchive> {
  const files = await extractArchive(archive, staging, limits);
  const byName = new Map(files.map((f) => [f.name, f]));
  const manifestFile = byName.get("manifest.json");
  if (!manifestFile) throw new ArchiveRefused("This archive has no manifest.json, so it is not a Hearth export (see the move-in layout for packing your own).");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestFile.path, "utf8"));
  } catch {
    throw new ArchiveRefused("The archive's manifest.json is not valid JSON.");
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ArchiveRefused(`The archive's manifest.json is not one Hearth can read (${issue?.path.join(".") || "format"}: ${issue?.message}).`);
  }
  const manifest = parsed.data;
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of byName.keys()) {
    if (name !== "manifest.json" && !listed.has(name)) throw new ArchiveRefused(`The archive holds ${JSON.stringify(name)}, which its manifest does not list.`);
  }
  for (const entry of manifest.files) {
    const file = byName.get(entry.path);
    if (!file) throw new ArchiveRefused(`The manifest lists ${entry.path}, but the archive does not hold it.`);
    if (file.size !== entry.size) throw new ArchiveRefused(`${entry.path} is ${file.size} bytes, but the manifest says ${entry.size}: the archive is damaged or was changed.`);
    if ((await sha256(file.path)) !== entry.sha256) throw new ArchiveRefused(`${entry.path} does not match its checksum in the manifest: the archive is damaged or was changed.`);
  }
  if (manifest.software === "BLUESKY_PDS") {
    // Its configuration and its two volumes, nothing else: a dump, media or Redis data would have
    // nowhere to go (a media.tar would land on the data volume).
    const volumeTars = PDS_VOLUMES.map(([volume]) => `pds/${volume}.tar`);
    const stray = manifest.files.find((f) => !f.path.startsWith("config/") && !volumeTars.includes(f.path));
    if (stray) throw new ArchiveRefused(`The archive lists ${stray.path}, which a Bluesky PDS's archive does not hold (its configuration and pds/data.tar, pds/blobs.tar only).`);
    // A PDS's two volumes, each a tar of its folder (export-parts.ts, copyPdsVolumes).
    for (const [volume, top] of PDS_VOLUMES) {
      const tar = byName.get(`pds/${volume}.tar`);
      if (!tar) throw new ArchiveRefused(`The archive holds no pds/${volume}.tar (the PDS's ${volume} volume).`);
      await checkInnerTar(tar.path, top);
    }
  } else if (!byName.has("database.pgdump")) {
    throw new ArchiveRefused("The archive holds no database.pgdump (a pg_dump --format=custom of the database).");
  }
  const media = byName.get("media.tar");
  if (media && mediaTop) await checkInnerTar(media.path, mediaTop);
  return { dir: staging, manifest, file: (name) => (byName.has(name) ? join(staging, name) : undefined) };
}
