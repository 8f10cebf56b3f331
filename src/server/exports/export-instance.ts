// Exports a tenant's instance as one tar.gz in its exports folder, following the backup set of
// INSTANCES.md in its order: database dump, configuration (with its secrets: this is the
// owner's move-away archive), media, Redis dump; plus manifest.json with sizes and sha256.
// A Bluesky PDS has no dump: its configuration and its two volumes (SQLite files, blobs),
// copied while it is stopped for the moment the copy takes.
// The archive gets its final name only when it is complete; a failure removes every partial
// file and says which step failed. Nothing here deletes anything of the instance.
import "server-only";
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { formatBytes } from "@/lib/format";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { log } from "@/server/log";
import { describeStepFailure, loadInstance, planContext, StepError, tenantContainersByComponent } from "@/server/provisioning";
import { versionOf } from "@/server/settings";
import { stageBuffer, writeArchive, type StagedFile } from "./archive";
import { MANIFEST_FORMAT } from "./check-archive";
import { copyMedia, copyPdsVolumes, countDumpedRows, dumpDatabase, dumpRedis, stageConfig, stopAgain, wakeData, type PartInput } from "./export-parts";
import { archiveName, communityExportsDir, pruneExports } from "./exports-dir";

export type ExportProgress = (detail: string) => void | Promise<void>;
export type ExportResult = { name: string; size: number };

export { MANIFEST_FORMAT };

async function step<T>(label: string, progress: (detail: string) => void, work: () => Promise<T>): Promise<T> {
  progress(label);
  try {
    return await work();
  } catch (error) {
    throw new StepError(`The export failed at “${label}”: ${describeStepFailure(error)} No archive was kept, and nothing was deleted.`);
  }
}

/** Work folders and partial archives a worker that died mid-export left behind. */
async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(".work-") || name.endsWith(".partial")) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Writes the archive and returns its name and size. The caller keeps provisioning off the
 * instance meanwhile (its instance lock: the reconcile pass of a deletion, or the admin's job).
 */
export async function exportInstance(communityId: string, onProgress: ExportProgress, options: { spare?: string[] } = {}): Promise<ExportResult> {
  const progress = (detail: string) => {
    void Promise.resolve(onProgress(detail)).catch(() => {});
  };
  const row = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  const found = row ? await loadInstance(row.id) : null;
  if (!found?.secretsSealed) throw new StepError("This instance was never set up, so there is nothing to export.");
  const ctx = await planContext(docker(), env(), found);
  const dir = communityExportsDir(communityId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeLeftovers(dir);
  const work = await mkdtemp(join(dir, ".work-"));
  const name = archiveName(ctx.tenant.slug, new Date());
  const partial = join(dir, `.${name}.partial`);
  const started: string[] = [];
  try {
    const input: PartInput = {
      docker: ctx.docker,
      work,
      containers: await tenantContainersByComponent(ctx.docker, communityId),
      template: ctx.template(),
      progress,
    };
    if (found.desiredState !== "RUNNING") {
      // A community that moves away after its funding lapsed has a stopped instance: its data is exported all the same.
      const seconds = ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS;
      input.containers = await step("Starting the database for the export", progress, () => wakeData(input, communityId, seconds, started));
    }
    const files: StagedFile[] = [];
    let rowCounts: Record<string, number> | undefined;
    const notes: string[] = [];
    if (ctx.software === "BLUESKY_PDS") {
      files.push(...(await step("Writing the configuration", progress, () => stageConfig(input))));
      files.push(...(await step("Copying the PDS's databases and blobs", progress, () => copyPdsVolumes(input, ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS))));
    } else {
      files.push(await step("Dumping the database", progress, () => dumpDatabase(input)));
      rowCounts = await countDumpedRows(input);
      files.push(...(await step("Writing the configuration", progress, () => stageConfig(input))));
      files.push(await step("Copying the media", progress, () => copyMedia(input)));
      const redis = await step("Saving the Redis dump", progress, () => dumpRedis(input, ctx.secrets().redisPassword));
      if (redis.file) files.push(redis.file);
      notes.push(...redis.notes);
    }
    const manifest = {
      format: MANIFEST_FORMAT,
      software: ctx.software,
      version: versionOf(ctx.images),
      images: ctx.images,
      domain: ctx.domain,
      community: ctx.tenant.slug,
      createdAt: new Date().toISOString(),
      files: files.map((f) => ({ path: f.name, size: f.size, sha256: f.sha256, what: f.what })),
      ...(rowCounts ? { rowCounts } : {}),
      notes,
    };
    const manifestFile = await stageBuffer(work, "manifest.json", "this list", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await step("Writing the archive", progress, () => writeArchive(partial, [manifestFile, ...files]));
    await rename(partial, join(dir, name));
    const { size } = await stat(join(dir, name));
    const pruned = await pruneExports(communityId, undefined, options.spare);
    log.info("instance exported", { communityId, archive: name, bytes: size, pruned: pruned.length });
    return { name, size };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await stopAgain(ctx.docker, started).catch((error: unknown) =>
      log.warn("export: could not stop the data containers again", { communityId, error: describeStepFailure(error) }),
    );
    await rm(work, { recursive: true, force: true });
  }
}

export const describeExport = (result: ExportResult) => `Exported to ${result.name} (${formatBytes(result.size)}).`;
