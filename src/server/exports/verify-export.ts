// Is an archive a working backup? Its dump is restored into a throwaway database in the
// community's own database container and every table's rows are counted against the manifest.
// The result is kept next to the archive (`<archive>.verify.json`), shown beside it, and removed
// with it. Archives written before manifests had row counts are restored and counted, and say
// that there was nothing to compare with.
import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { log } from "@/server/log";
import { checkArchive } from "./check-archive";
import { communityExportsDir, exportsRoot, findExport, listExports } from "./exports-dir";
import { countRows, dropDatabase, dumpPathIn, putDump, removeFile, restoreInto } from "./postgres-data";
import { pgTarget } from "./restore-instance";
import { StepError, describeStepFailure, loadInstance, planContext } from "@/server/provisioning";

const verificationSchema = z.object({
  checkedAt: z.string(),
  ok: z.boolean(),
  summary: z.string(),
  mismatches: z.array(z.object({ table: z.string(), expected: z.number().nullable(), found: z.number().nullable() })).default([]),
});
export type Verification = z.infer<typeof verificationSchema>;

const sidecar = (communityId: string, name: string) => join(communityExportsDir(communityId), `${name}.verify.json`);

export async function readVerification(communityId: string, name: string): Promise<Verification | null> {
  try {
    return verificationSchema.parse(JSON.parse(await readFile(sidecar(communityId, name), "utf8")));
  } catch {
    return null;
  }
}

/** Compares counted rows with the manifest's; tables on either side only are mismatches too. */
export function compareCounts(expected: Record<string, number>, found: Record<string, number>): Verification["mismatches"] {
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
  return tables.filter((t) => expected[t] !== found[t]).map((table) => ({ table, expected: expected[table] ?? null, found: found[table] ?? null }));
}

/** Verifies the archive, records and returns the result; a verification that could not run throws (nothing recorded). */
export async function verifyExport(communityId: string, name: string, onProgress: (detail: string) => void | Promise<void> = () => {}): Promise<Verification> {
  const progress = (d: string) => void Promise.resolve(onProgress(d)).catch(() => {});
  const archive = await findExport(communityId, name);
  if (!archive) throw new StepError("That archive is not one of this community's exports.");
  const row = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  const found = row ? await loadInstance(row.id) : null;
  if (!found?.secretsSealed) throw new StepError("This community has no server whose database could check the archive.");
  const ctx = await planContext(docker(), env(), found);
  if (ctx.software === "BLUESKY_PDS") return verifyByChecksums(communityId, name, archive.path, progress);
  const t = await pgTarget(ctx);
  const token = randomBytes(4).toString("hex");
  const staging = join(exportsRoot(), ".staging", `verify-${communityId}-${token}`);
  const throwaway = `${t.database}_hearth_verify_${token}`;
  const dumpName = `hearth-verify-${token}.pgdump`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  let result: Verification;
  try {
    progress("Checking the archive");
    let checked;
    try {
      checked = await checkArchive(archive.path, staging);
    } catch (error) {
      result = { checkedAt: new Date().toISOString(), ok: false, summary: `The archive is not usable: ${describeStepFailure(error)}`, mismatches: [] };
      await writeFile(sidecar(communityId, name), JSON.stringify(result), { mode: 0o600 });
      return result;
    }
    progress("Restoring the dump into a throwaway database");
    const dumpPath = await putDump(t, checked.file("database.pgdump")!, dumpName);
    let counts: Record<string, number>;
    try {
      await restoreInto(t, dumpPath, throwaway);
      progress("Counting rows");
      counts = await countRows(t, throwaway);
    } catch (error) {
      result = { checkedAt: new Date().toISOString(), ok: false, summary: `The dump does not restore: ${describeStepFailure(error)}`, mismatches: [] };
      await writeFile(sidecar(communityId, name), JSON.stringify(result), { mode: 0o600 });
      return result;
    }
    const tables = Object.keys(counts).length;
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    const expected = checked.manifest.rowCounts;
    if (!expected) {
      result = { checkedAt: new Date().toISOString(), ok: true, summary: `Restores: ${tables} tables, ${rows} rows. This archive predates row counts, so they were not compared.`, mismatches: [] };
    } else {
      const mismatches = compareCounts(expected, counts);
      result = {
        checkedAt: new Date().toISOString(),
        ok: mismatches.length === 0,
        summary: mismatches.length === 0 ? `Restores: ${tables} tables, ${rows} rows, every count as exported.` : `Restores, but ${mismatches.length} of ${tables} tables differ from the manifest's counts.`,
        mismatches,
      };
    }
    await writeFile(sidecar(communityId, name), JSON.stringify(result), { mode: 0o600 });
    log.info("export verified", { communityId, archive: name, ok: result.ok });
    return result;
  } finally {
    await dropDatabase(t, throwaway).catch(() => {});
    await removeFile(t, dumpPathIn(t, dumpName)).catch(() => {});
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * A Bluesky PDS's archive holds SQLite files, not a dump to restore elsewhere: it is verified by
 * what can be checked without its PDS, every file against the manifest's size and sha256 and
 * both volume tars entry by entry, and says that this is all that was checked.
 */
async function verifyByChecksums(communityId: string, name: string, path: string, progress: (d: string) => void): Promise<Verification> {
  const staging = join(exportsRoot(), ".staging", `verify-${communityId}-${randomBytes(4).toString("hex")}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    progress("Checking the archive");
    let result: Verification;
    try {
      const checked = await checkArchive(path, staging);
      const files = checked.manifest.files.length;
      result = { checkedAt: new Date().toISOString(), ok: true, summary: `All ${files} files match their checksums and both volume tars read cleanly. A PDS's SQLite databases are not test-restored.`, mismatches: [] };
    } catch (error) {
      result = { checkedAt: new Date().toISOString(), ok: false, summary: `The archive is not usable: ${describeStepFailure(error)}`, mismatches: [] };
    }
    await writeFile(sidecar(communityId, name), JSON.stringify(result), { mode: 0o600 });
    log.info("export verified", { communityId, archive: name, ok: result.ok, by: "checksums" });
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export const describeVerification = (name: string, v: Verification) => `${name}: ${v.ok ? "verified" : "NOT verified"}. ${v.summary}`;

/** The community's archives with their last verification, newest first. */
export async function listVerifiedExports(communityId: string) {
  const archives = await listExports(communityId);
  return Promise.all(archives.map(async (a) => ({ ...a, verification: await readVerification(communityId, a.name) })));
}
