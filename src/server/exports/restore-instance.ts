// Restores one of a community's export archives onto its running instance. In order, each step
// reported as progress (the operation's timeline): the archive is unpacked and checked; the
// current state is exported first (so the restore itself can be undone); the app processes stop;
// the dump is restored into a fresh database which is then swapped in by renaming; the media and
// the Redis dump are put back; everything starts again with the same secrets. A journal in the
// staging folder records what was touched: a failure, or a worker killed mid-way (the next
// attempt finds the journal), puts the instance back as it was and starts it again.
//
// Per software, the data steps are pluggable (RESTORERS): PostgreSQL-backed software (Mastodon,
// the Misskey family) uses pg_restore; a Bluesky PDS (SQLite databases and a blob store) gets its
// two volumes back from the archive's tars, and from the state exported first if it must undo.
import "server-only";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import type { Software } from "@/generated/prisma/client";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { log } from "@/server/log";
import { checkArchive, type CheckedArchive } from "./check-archive";
import { DEFAULT_LIMITS } from "./read-archive";
import { exportInstance } from "./export-instance";
import { exportsRoot, findExport } from "./exports-dir";
import { mediaMount, replaceMedia, replaceRedisDump, replaceVolume, startAll, stopApp, tenantContainer } from "./instance-data";
import { databaseExists, dropDatabase, dumpPathIn, putDump, removeFile, restoreInto, swapDatabases, type PgTarget } from "./postgres-data";
import { StepError, describeStepFailure, loadInstance, planContext, type PlanContext } from "@/server/provisioning";

export type RestoreProgress = (detail: string) => void | Promise<void>;
/** Test seams: replace the media stream (e.g. one that fails with ENOSPC half way). */
export type RestoreOptions = { mediaSource?: (path: string) => Readable };

/** swapped: the database (or a PDS's volumes) was replaced; media, redis: those were begun. */
type Journal = { archive: string; undo?: string; swapped: boolean; media: boolean; redis: boolean };

/** What a software's restore does with the database part of an archive. */
export type DataRestorer = {
  /** The step's name in the operation's timeline. */
  step: string;
  restoreDatabase: (ctx: PlanContext, archive: CheckedArchive, journal: () => Promise<void>, state: Journal) => Promise<void>;
  /**
   * Puts the database back as it was before (after a failure or an interrupted attempt).
   * `before` unpacks the state exported before the restore, for software that needs it.
   */
  undoDatabase: (ctx: PlanContext, state: Journal, before: () => Promise<CheckedArchive>) => Promise<void>;
  /** Drops what the restore kept aside, once it succeeded. */
  finishDatabase: (ctx: PlanContext) => Promise<void>;
};

// In the database's data volume (see postgres-data.ts), under a name PostgreSQL does not use.
const DUMP_NAME = "hearth-restore.pgdump";
const names = (database: string) => ({ fresh: `${database}_hearth_restore`, aside: `${database}_hearth_before_restore`, failed: `${database}_hearth_failed_restore` });

export async function pgTarget(ctx: PlanContext): Promise<PgTarget> {
  const spec = ctx.template().components.find((c) => c.component === "db");
  const user = spec?.env.POSTGRES_USER ?? "postgres";
  const dataDir = spec?.mounts.find((m) => m.volume === "db")?.target;
  if (!dataDir) throw new StepError("This software's database keeps no data volume.");
  return { docker: ctx.docker, container: await tenantContainer(ctx, "db"), user, database: spec?.env.POSTGRES_DB ?? user, dataDir };
}

const postgresRestorer: DataRestorer = {
  step: "Restoring the database",
  async restoreDatabase(ctx, archive, journal, state) {
    const t = await pgTarget(ctx);
    const n = names(t.database);
    const dump = await putDump(t, archive.file("database.pgdump")!, DUMP_NAME);
    await restoreInto(t, dump, n.fresh);
    await dropDatabase(t, n.aside);
    await swapDatabases(t, n.fresh, t.database, n.aside);
    state.swapped = true;
    await journal();
    await removeFile(t, dump);
  },
  async undoDatabase(ctx, state) {
    const t = await pgTarget(ctx);
    const n = names(t.database);
    if (state.swapped || ((await databaseExists(t, n.aside)) && !(await databaseExists(t, t.database)))) {
      if (await databaseExists(t, n.aside)) {
        await dropDatabase(t, n.failed);
        await swapDatabases(t, n.aside, t.database, n.failed);
      }
      await dropDatabase(t, n.failed);
    }
    await dropDatabase(t, n.fresh);
    await removeFile(t, dumpPathIn(t, DUMP_NAME));
  },
  async finishDatabase(ctx) {
    const t = await pgTarget(ctx);
    await dropDatabase(t, names(t.database).aside);
  },
};

/** The PDS's volumes, each held by the archive as pds/<volume>.tar (export-parts.ts, copyPdsVolumes). */
function pdsVolumes(ctx: PlanContext): { volume: string; target: string }[] {
  const spec = ctx.template().components.find((c) => c.component === "pds");
  if (!spec) throw new StepError("This server has no PDS component.");
  return spec.mounts;
}

async function putPdsVolumes(ctx: PlanContext, archive: CheckedArchive): Promise<void> {
  for (const mount of pdsVolumes(ctx)) {
    const tar = archive.file(`pds/${mount.volume}.tar`);
    if (!tar) throw new StepError(`The archive holds no pds/${mount.volume}.tar.`);
    await replaceVolume(ctx, mount, tar);
  }
}

// The PDS is stopped (stopApp) while its volumes are replaced whole: its SQLite files, their
// write-ahead logs and the blobs go back together, as the export copied them.
const pdsRestorer: DataRestorer = {
  step: "Putting back the PDS's databases and blobs",
  async restoreDatabase(ctx, archive, journal, state) {
    state.swapped = true;
    await journal();
    await putPdsVolumes(ctx, archive);
  },
  async undoDatabase(ctx, state, before) {
    if (state.swapped) await putPdsVolumes(ctx, await before());
  },
  async finishDatabase() {},
};

export const RESTORERS: Record<Software, DataRestorer> = {
  MASTODON: postgresRestorer,
  MISSKEY: postgresRestorer,
  SHARKEY: postgresRestorer,
  BLUESKY_PDS: pdsRestorer,
};

const restorer = (software: Software): DataRestorer => RESTORERS[software];

function stagingDir(communityId: string): string {
  return join(exportsRoot(), ".staging", `restore-${communityId}`);
}

async function context(communityId: string): Promise<PlanContext> {
  const row = await db.instance.findUnique({ where: { communityId }, select: { id: true } });
  const found = row ? await loadInstance(row.id) : null;
  if (!found?.secretsSealed) throw new StepError("This community has no server to restore onto yet.");
  return planContext(docker(), env(), found);
}

async function readJournal(dir: string): Promise<Journal | null> {
  let text: string;
  try {
    text = await readFile(join(dir, "journal.json"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    return JSON.parse(text) as Journal;
  } catch {
    // Written by rename, so never half a file; if it is damaged all the same, what was touched
    // is unknown: kept for a person to look at rather than taken for "no restore".
    throw new StepError(`The journal of an interrupted restore (${join(dir, "journal.json")}) is unreadable; nothing else is done until a host admin has looked at it.`);
  }
}

/** Replaces the journal in one step (a new file renamed over the old): a worker killed meanwhile leaves the old or the new one, never an empty file. */
async function writeJournal(dir: string, state: Journal): Promise<void> {
  const next = join(dir, "journal.json.next");
  await writeFile(next, JSON.stringify(state), { mode: 0o600 });
  await rename(next, join(dir, "journal.json"));
}

/** Unpacks the archive of the state before the restore, once, when the undo needs it. */
function stateBefore(ctx: PlanContext, dir: string, state: Journal): () => Promise<CheckedArchive> {
  let unpacked: Promise<CheckedArchive> | undefined;
  return () =>
    (unpacked ??= (async () => {
      if (!state.undo) throw new StepError("The state before the restore was not exported, so it cannot be put back.");
      const undoDir = join(dir, "undo");
      await rm(undoDir, { recursive: true, force: true });
      await mkdir(undoDir, { recursive: true, mode: 0o700 });
      const found = await findExport(ctx.tenant.tenantId, state.undo);
      if (!found) throw new StepError(`The archive of the state before the restore (${state.undo}) is gone.`);
      return checkArchive(found.path, undoDir);
    })());
}

/** Puts the instance back as the journal says it was, and starts it. */
async function rollBack(ctx: PlanContext, dir: string, state: Journal, progress: (d: string) => void): Promise<void> {
  progress("Putting the instance back as it was");
  await stopApp(ctx);
  const before = stateBefore(ctx, dir, state);
  await restorer(ctx.software).undoDatabase(ctx, state, before);
  if (state.media || state.redis) {
    const undo = await before();
    const media = undo.file("media.tar");
    if (state.media && media) await replaceMedia(ctx, media);
    const redis = undo.file("redis/dump.rdb");
    if (state.redis && redis) await replaceRedisDump(ctx, redis);
  }
  progress("Starting the instance again");
  await startAll(ctx);
}

/** Finishes an attempt a dead worker left (its journal in the staging folder): rolls it back. Returns whether there was one. */
export async function recoverInterruptedRestore(communityId: string, onProgress: RestoreProgress = () => {}): Promise<boolean> {
  const dir = stagingDir(communityId);
  const state = await readJournal(dir);
  if (!state) {
    await rm(dir, { recursive: true, force: true });
    return false;
  }
  const progress = (d: string) => void Promise.resolve(onProgress(d)).catch(() => {});
  progress("A restore was interrupted: putting the instance back first");
  await rollBack(await context(communityId), dir, state, progress);
  await rm(dir, { recursive: true, force: true });
  log.warn("restore: rolled back an interrupted attempt", { communityId, archive: state.archive });
  return true;
}

/**
 * Restores `archiveName` (one of the community's archives). The caller holds the instance lock.
 * Resolves with a line for the operation's detail; throws a StepError naming the failed step
 * after putting the instance back.
 */
export async function restoreInstance(communityId: string, archiveName: string, onProgress: RestoreProgress, options: RestoreOptions = {}): Promise<string> {
  const progress = (d: string) => void Promise.resolve(onProgress(d)).catch(() => {});
  await recoverInterruptedRestore(communityId, onProgress);
  const ctx = await context(communityId);
  const instance = ctx.instance;
  if (instance.phase !== "RUNNING" || instance.desiredState !== "RUNNING") {
    throw new StepError(`The server is ${instance.phase.toLowerCase()}, not running: resume it first, then restore. Nothing was changed.`);
  }
  const archive = await findExport(communityId, archiveName);
  if (!archive) throw new StepError("That archive is not one of this community's exports. Nothing was changed.");
  const dir = stagingDir(communityId);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "archive"), { recursive: true, mode: 0o700 });
  const state: Journal = { archive: archiveName, swapped: false, media: false, redis: false };
  const journal = () => writeJournal(dir, state);
  let current = "Checking the archive";
  let touched = false;
  try {
    progress(current);
    // An instance's data fits its plan's disk: an archive that expands beyond it is refused.
    const limits = { ...DEFAULT_LIMITS, maxBytes: Math.max(1, ctx.instance.community.plan.diskGb) * 1024 ** 3 };
    const checked = await checkArchive(archive.path, join(dir, "archive"), limits, basename(mediaMount(ctx.template()).target));
    if (checked.manifest.software !== ctx.software) throw new StepError(`This archive is of a ${checked.manifest.software} server; this one runs ${ctx.software}.`);
    if (checked.manifest.domain !== ctx.domain) throw new StepError(`This archive is of ${checked.manifest.domain}; this server is ${ctx.domain}.`);

    current = "Exporting the current state first";
    progress(current);
    // The archive being restored is spared by this export's pruning of old archives.
    state.undo = (await exportInstance(communityId, (d) => progress(`Exporting the current state first: ${d}`), { spare: [archiveName] })).name;

    current = "Stopping the app";
    progress(current);
    await journal();
    touched = true;
    await stopApp(ctx);

    current = restorer(ctx.software).step;
    progress(current);
    await restorer(ctx.software).restoreDatabase(ctx, checked, journal, state);

    const media = checked.file("media.tar");
    if (media) {
      current = "Putting the media back";
      progress(current);
      state.media = true;
      await journal();
      await replaceMedia(ctx, media, options.mediaSource?.(media));
    }
    const redis = checked.file("redis/dump.rdb");
    if (redis) {
      current = "Putting the Redis data back";
      progress(current);
      state.redis = true;
      await journal();
      await replaceRedisDump(ctx, redis);
    }

    current = "Starting the instance again";
    progress(current);
    await startAll(ctx);
    current = "Removing the replaced database";
    progress(current);
    await restorer(ctx.software).finishDatabase(ctx);
    await rm(dir, { recursive: true, force: true });
    log.info("instance restored", { communityId, archive: archiveName, undo: state.undo });
    return `Restored ${archiveName}. The state before it is in ${state.undo}.`;
  } catch (error) {
    const why = describeStepFailure(error);
    log.warn("restore failed", { communityId, archive: archiveName, step: current, error: why });
    if (!touched) {
      await rm(dir, { recursive: true, force: true });
      throw new StepError(`The restore failed at “${current}”: ${why} Nothing was changed.`);
    }
    try {
      await rollBack(ctx, dir, state, progress);
      await rm(dir, { recursive: true, force: true });
    } catch (undoError) {
      throw new StepError(
        `The restore failed at “${current}”: ${why} Putting the instance back failed too (${describeStepFailure(undoError)}); ` +
          `the next attempt tries again. The state before the restore is in ${state.undo ?? "no archive"}.`,
      );
    }
    throw new StepError(`The restore failed at “${current}”: ${why} The instance was put back as it was and runs again (its state before is also in ${state.undo}).`);
  }
}
