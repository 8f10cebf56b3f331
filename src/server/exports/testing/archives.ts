// An export archive on disk, for tests of who may reach it: the real name shape in the
// community's folder, with content that is only bytes to compare (no export is run).
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { archiveName, communityExportsDir } from "../exports-dir";

export function archiveOf(communityId: string, slug: string, content: Buffer = randomBytes(2048), at = new Date()): { name: string; content: Buffer } {
  const name = archiveName(slug, at);
  mkdirSync(communityExportsDir(communityId), { recursive: true });
  writeFileSync(join(communityExportsDir(communityId), name), content);
  return { name, content };
}

/** Names that are not this community's archives: they must be refused even to someone allowed. */
export function notArchiveNames(communityId: string, name: string): string[] {
  return ["../../../etc/passwd", `..%2F${name}`, `../${communityId}/${name}`, `.${name}.partial`, "manifest.json", name.replace(".tar.gz", ".tar"), `${name}\0`, ""];
}
