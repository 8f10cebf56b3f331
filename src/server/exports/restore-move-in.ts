// The data of a moved-in community's archive, put into its new instance by the first
// provisioning (provisioning's move-in step, registered by the worker): the database and Redis
// run, nothing else does yet. The archive is checked again (it is read from disk, which may
// have changed since it was accepted), the dump is restored into a fresh database that is
// swapped in for the new, empty one, the media volume is filled from media.tar and Redis gets
// the archive's dump.rdb. A Bluesky PDS (nothing runs yet) gets its two volumes refilled from
// the archive's tars instead (check-archive.ts refuses anything else in a PDS's archive). Each
// part is the step's progress. Run again after a failure or a killed worker, it does the same
// again: the instance has no data of its own to lose yet.
import "server-only";
import { mkdir, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { registerMoveInRestorer, startContainer, StepError, waitHealthy, type PlanContext } from "@/server/provisioning";
import { checkArchive } from "./check-archive";
import { exportsRoot, findExport } from "./exports-dir";
import { mediaMount, replaceMedia, replaceRedisDump, tenantContainer } from "./instance-data";
import { DEFAULT_LIMITS } from "./read-archive";
import { RESTORERS } from "./restore-instance";

export async function restoreMoveIn(ctx: PlanContext, archiveName: string, progress: (detail: string) => void): Promise<string> {
  const communityId = ctx.tenant.tenantId;
  const archive = await findExport(communityId, archiveName);
  if (!archive) throw new StepError(`The archive to move in (${archiveName}) is no longer in the community's exports folder: upload it again.`);
  const restorer = RESTORERS[ctx.software];
  const dir = join(exportsRoot(), ".staging", `move-in-restore-${communityId}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    progress("Checking the archive");
    const limits = { ...DEFAULT_LIMITS, maxBytes: Math.max(1, ctx.instance.community.plan.diskGb) * 1024 ** 3 };
    const checked = await checkArchive(archive.path, dir, limits, basename(mediaMount(ctx.template()).target));
    if (checked.manifest.software !== ctx.software || checked.manifest.domain !== ctx.domain) {
      throw new StepError(`The archive is of a ${checked.manifest.software} server at ${checked.manifest.domain}; this one is ${ctx.software} at ${ctx.domain}.`);
    }
    progress(restorer.step);
    const state = { archive: archiveName, swapped: false, media: false, redis: false };
    await restorer.restoreDatabase(ctx, checked, async () => {}, state);
    await restorer.finishDatabase(ctx);
    const said = [ctx.software === "BLUESKY_PDS" ? "databases and blobs" : "database"];
    const media = checked.file("media.tar");
    if (media) {
      progress("Putting the media in");
      await replaceMedia(ctx, media);
      said.push("media");
    }
    const redis = checked.file("redis/dump.rdb");
    if (redis) {
      progress("Putting the Redis data in");
      await replaceRedisDump(ctx, redis);
      const name = await tenantContainer(ctx, "redis");
      await startContainer(ctx.docker, name);
      await waitHealthy(ctx.docker, name, ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS);
      said.push("Redis data");
    }
    return `Moved in from ${archiveName} (${checked.manifest.software} ${checked.manifest.version}): ${said.join(", ")}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Called by the worker at start-up, beside registerExporter. */
export function registerMoveIn(): void {
  registerMoveInRestorer(restoreMoveIn);
}
