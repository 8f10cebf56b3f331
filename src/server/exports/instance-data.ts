// The non-database data of an instance, put back from an archive: a volume (the media, a PDS's
// data and blobs: emptied, then the archive's tar of it unpacked into it by Docker, inside a
// short-lived helper container that mounts only that volume and has no network) and Redis's dump.rdb (put into the stopped
// Redis container's /data, read at its next start). And stopping / starting the instance around.
import "server-only";
import { createReadStream } from "node:fs";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { putFile } from "./postgres-data";
import { StepError, objectName, startContainer, stopContainer, tenantContainersByComponent, tenantLabels, volumeName, waitExitedOk, waitHealthy, type ComponentSpec, type PlanContext } from "@/server/provisioning";

export const DATA = ["db", "redis"];

export function mediaMount(template: { components: ComponentSpec[] }): { volume: string; target: string } {
  const holder = template.components.find((c) => !DATA.includes(c.component) && c.mounts.some((m) => !DATA.includes(m.volume)));
  const mount = holder?.mounts.find((m) => !DATA.includes(m.volume));
  if (!mount) throw new StepError("This software keeps no media volume.");
  return mount;
}

async function container(ctx: PlanContext, component: string): Promise<string> {
  const found = (await tenantContainersByComponent(ctx.docker, ctx.tenant.tenantId)).get(component);
  if (!found) throw new StepError(`The ${component} container is missing on the Docker host.`);
  return found.name;
}

/** Stops the app processes (data containers stay up), last stage first. */
export async function stopApp(ctx: PlanContext): Promise<void> {
  const byComponent = await tenantContainersByComponent(ctx.docker, ctx.tenant.tenantId);
  const app = ctx.template().components.filter((c) => !DATA.includes(c.component)).sort((a, b) => b.stage - a.stage);
  for (const spec of app) {
    const found = byComponent.get(spec.component);
    if (found) await stopContainer(ctx.docker, found.name);
  }
}

/** Starts every component in stage order, one-shots to completion, the rest until healthy. */
export async function startAll(ctx: PlanContext): Promise<void> {
  const byComponent = await tenantContainersByComponent(ctx.docker, ctx.tenant.tenantId);
  const seconds = ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS;
  const stages = [...new Set(ctx.template().components.map((c) => c.stage))].sort((a, b) => a - b);
  for (const stage of stages) {
    const specs = ctx.template().components.filter((c) => c.stage === stage);
    for (const spec of specs) {
      const found = byComponent.get(spec.component);
      if (!found) throw new StepError(`The ${spec.component} container is missing on the Docker host.`);
      if (spec.oneShot) await ctx.docker.getContainer(found.name).start().catch(() => {});
      else await startContainer(ctx.docker, found.name);
    }
    for (const spec of specs) {
      const name = byComponent.get(spec.component)!.name;
      if (spec.oneShot) await waitExitedOk(ctx.docker, name, seconds);
      else await waitHealthy(ctx.docker, name, seconds);
    }
  }
}

/**
 * Runs `cmd` in a helper container that mounts one of the tenant's volumes (no network), to
 * completion. Its image is one the tenant already has: the database's, or the app's for software
 * without one (a PDS).
 */
async function volumeHelper(ctx: PlanContext, mount: { volume: string; target: string }, cmd: string[]): Promise<Docker.Container> {
  const name = objectName(ctx.tenant, `restore-helper-${Date.now().toString(36)}`);
  const helper = await ctx.docker.createContainer({
    name,
    Image: ctx.images.db ?? ctx.images.app,
    Entrypoint: [cmd[0]!],
    Cmd: cmd.slice(1),
    User: "0:0",
    Labels: tenantLabels(ctx.tenant, "restore-helper"),
    HostConfig: {
      NetworkMode: "none",
      Mounts: [{ Type: "volume", Source: volumeName(ctx.tenant, mount.volume), Target: mount.target }],
    },
  });
  return helper;
}

/**
 * Empties a volume and unpacks `tarPath` into it: entries under the folder's own name, as
 * Docker's archive of the mounted folder writes them (and keeps their owners). `source` lets a
 * test put a failing stream in.
 */
export async function replaceVolume(ctx: PlanContext, mount: { volume: string; target: string }, tarPath: string, source?: Readable): Promise<void> {
  const helper = await volumeHelper(ctx, mount, ["find", mount.target, "-mindepth", "1", "-delete"]);
  try {
    await helper.start();
    await waitExitedOk(ctx.docker, helper.id, 3600);
    await helper.putArchive(source ?? createReadStream(tarPath), { path: dirname(mount.target) });
  } finally {
    await helper.remove({ force: true }).catch(() => {});
  }
}

/** Empties the media volume and unpacks the archive's media.tar into it. */
export async function replaceMedia(ctx: PlanContext, tarPath: string, source?: Readable): Promise<void> {
  await replaceVolume(ctx, mediaMount(ctx.template()), tarPath, source);
}

/** Stops Redis and puts the dump in its data folder; it is read when Redis starts again. */
export async function replaceRedisDump(ctx: PlanContext, dumpPath: string): Promise<void> {
  const spec = ctx.template().components.find((c) => c.component === "redis");
  if (!spec) return;
  const name = await container(ctx, "redis");
  await stopContainer(ctx.docker, name);
  const dir = spec.mounts.find((m) => m.volume === "redis")?.target ?? "/data";
  await putFile(ctx.docker, name, dumpPath, dir, "dump.rdb");
}

export { container as tenantContainer };
