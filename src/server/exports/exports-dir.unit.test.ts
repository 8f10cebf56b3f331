// The exports folder: names, listing newest first, and keeping only the newest few.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { communityExportsDir, EXPORTS_KEPT, findExport, listExports, pruneExports } from "./exports-dir";

process.env.HEARTH_EXPORTS_DIR = mkdtempSync(join(tmpdir(), "hearth-exports-dir-test-"));

/** Writes `count` archives (and one file that is not an archive), each a minute older than the last. */
function seedArchives(communityId: string, count: number): string[] {
  const dir = communityExportsDir(communityId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".half-done.partial"), "x");
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `town-2026112${i % 10}-1200${String(i).padStart(2, "0")}-${randomBytes(3).toString("hex")}.tar.gz`;
    writeFileSync(join(dir, name), "archive");
    const at = new Date(Date.now() - i * 60_000);
    utimesSync(join(dir, name), at, at);
    names.push(name);
  }
  return names; // newest first
}

describe("exports folder", () => {
  it(`keeps the newest ${EXPORTS_KEPT} archives and nothing else is touched`, async () => {
    const community = `c${randomBytes(8).toString("hex")}`;
    const names = seedArchives(community, EXPORTS_KEPT + 3);
    expect((await listExports(community)).map((a) => a.name)).toEqual(names);
    expect((await pruneExports(community)).sort()).toEqual(names.slice(EXPORTS_KEPT).sort());
    expect((await listExports(community)).map((a) => a.name)).toEqual(names.slice(0, EXPORTS_KEPT));
    expect(readdirSync(communityExportsDir(community))).toContain(".half-done.partial");
    expect(await pruneExports(community)).toEqual([]);
  });

  it("spares the archive being restored, and removes a pruned archive's verification with it", async () => {
    const community = `c${randomBytes(8).toString("hex")}`;
    const names = seedArchives(community, EXPORTS_KEPT + 2);
    const restoring = names[EXPORTS_KEPT + 1]!;
    const dropped = names[EXPORTS_KEPT]!;
    writeFileSync(join(communityExportsDir(community), `${dropped}.verify.json`), "{}");
    expect(await pruneExports(community, EXPORTS_KEPT, [restoring])).toEqual([dropped]);
    expect(readdirSync(communityExportsDir(community))).toContain(restoring);
    expect(readdirSync(communityExportsDir(community))).not.toContain(`${dropped}.verify.json`);
  });

  it("finds an archive only by its exact name, in its own community's folder", async () => {
    const own = `c${randomBytes(8).toString("hex")}`;
    const [name] = seedArchives(own, 1);
    expect(await findExport(own, name!)).toEqual({ path: join(communityExportsDir(own), name!), size: "archive".length });
    expect(await findExport(own, ".half-done.partial")).toBeNull();
    const other = `c${randomBytes(8).toString("hex")}`;
    expect(await findExport(other, name!)).toBeNull();
    expect(await findExport(other, `../${name}`)).toBeNull();
    expect(await findExport(other, ".half-done.partial")).toBeNull();
  });
});
