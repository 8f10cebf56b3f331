// The parts of an instance export, each staged in the work folder: the database dump (pg_dump
// inside the tenant's own database container), the configuration Hearth generated, the media
// volume (Docker's archive of the folder), and the Redis dump (best effort). Commands run with
// arguments as data; the Redis password goes in the command's environment, never its arguments.
import "server-only";
import { basename, dirname } from "node:path";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { formatBytes } from "@/lib/format";
import {
  type ComponentSpec,
  describeStepFailure,
  execIn,
  execStreaming,
  type ObservedContainer,
  startContainer,
  StepError,
  stopContainer,
  tenantContainersByComponent,
  type TenantTemplate,
  waitHealthy,
} from "@/server/provisioning";
import { stageBuffer, stageWriter, type StagedFile } from "./archive";
import { countRows } from "./postgres-data";
import { log } from "@/server/log";

export type PartInput = {
  docker: Docker;
  work: string;
  containers: Map<string, ObservedContainer>;
  template: TenantTemplate;
  progress: (detail: string) => void;
};

/**
 * For an instance that is meant to be down (suspended, lapsed, or being deleted): starts its
 * stopped database (required) and Redis (best effort) for the export alone, app processes left
 * down. Adds what it starts to `started` (to be stopped again, even when this fails halfway)
 * and returns the containers as they are now.
 */
export async function wakeData(input: PartInput, communityId: string, healthSeconds: number, started: string[]): Promise<PartInput["containers"]> {
  const before = started.length;
  for (const component of DATA) {
    const container = input.containers.get(component);
    if (!container || container.state === "running") continue;
    try {
      await startContainer(input.docker, container.name);
      started.push(container.name);
      await waitHealthy(input.docker, container.name, healthSeconds);
    } catch (error) {
      if (component === "db") throw error;
    }
  }
  return started.length > before ? tenantContainersByComponent(input.docker, communityId) : input.containers;
}

export async function stopAgain(docker: Docker, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => stopContainer(docker, name)));
}

// Data components: everything else is the app, whose environment is the instance's env file.
const DATA = ["db", "redis"];
const DUMP_TIMEOUT_SECONDS = 6 * 3600;

function spec(template: TenantTemplate, component: string): ComponentSpec {
  const found = template.components.find((c) => c.component === component);
  if (!found) throw new StepError(`This software has no ${component} component.`);
  return found;
}

function runningContainer(input: PartInput, component: string, what: string): string {
  const container = input.containers.get(component);
  if (!container) throw new StepError(`The ${what} container is missing on the Docker host.`);
  if (container.state !== "running") {
    // Only for an instance meant to be running (a stopped one has its data woken first): something broke.
    throw new StepError(`The ${what} container is ${container.state}, not running. Let provisioning repair the instance, then export again.`);
  }
  return container.name;
}

/** Progress in bytes, at most once a second. */
function byteProgress(input: PartInput, label: string): (total: number) => void {
  let last = 0;
  return (total) => {
    if (Date.now() - last < 1_000) return;
    last = Date.now();
    input.progress(`${label}: ${formatBytes(total)} so far`);
  };
}

/** Runs a command in a container and stages its standard output as `name`; a non-zero exit fails. */
async function stageCommand(input: PartInput, container: string, cmd: string[], name: string, what: string, env?: string[], user?: string): Promise<StagedFile> {
  const staged = await stageWriter(input.work, name, what, byteProgress(input, `Copying ${name}`));
  let result: Awaited<ReturnType<typeof execStreaming>> | undefined;
  let failure: unknown;
  try {
    result = await execStreaming(input.docker, container, cmd, staged.input, { timeoutSeconds: DUMP_TIMEOUT_SECONDS, env, user });
  } catch (error) {
    failure = error;
  }
  staged.input.end();
  const file = await staged.done;
  if (failure || !result) throw failure;
  if (result.exitCode !== 0) {
    const said = result.stderr.trim().split("\n").slice(-5).join("\n");
    throw new StepError(`${cmd[0]} exited with code ${result.exitCode}${said ? `: ${said}` : "."}`);
  }
  return file;
}

export async function dumpDatabase(input: PartInput): Promise<StagedFile> {
  const { env } = spec(input.template, "db");
  const user = env.POSTGRES_USER ?? "postgres";
  const database = env.POSTGRES_DB ?? user;
  const container = runningContainer(input, "db", "database");
  // Inside the container pg_dump reaches the server over its local socket as the owner role.
  const cmd = ["pg_dump", "--username", user, "--dbname", database, "--format=custom", "--no-password"];
  return stageCommand(input, container, cmd, "database.pgdump", `pg_dump --format=custom of the ${database} database; restore it with pg_restore`);
}

/**
 * Rows per table, counted right after the dump, for verification (restore the dump elsewhere and
 * compare). An instance that keeps writing meanwhile can differ by a few rows; an instance
 * stopped for the export (suspended, or the restore's own export) is counted exactly. Left out
 * (logged) when the database cannot be counted.
 */
export async function countDumpedRows(input: PartInput): Promise<Record<string, number> | undefined> {
  const { env } = spec(input.template, "db");
  const user = env.POSTGRES_USER ?? "postgres";
  try {
    return await countRows({ docker: input.docker, container: runningContainer(input, "db", "database"), user, database: env.POSTGRES_DB ?? user });
  } catch (error) {
    log.warn("export: rows not counted", { error: describeStepFailure(error) });
    return undefined;
  }
}

// Values Hearth generates are alphanumeric, hex, base64url or domains; anything else is quoted.
const envValue = (value: string) => (/^[\w.:/@+=-]*$/.test(value) ? value : JSON.stringify(value));

export async function stageConfig(input: PartInput): Promise<StagedFile[]> {
  const app = input.template.components.filter((c) => !DATA.includes(c.component));
  // The long-running processes' environment: a one-shot's own switches (Mastodon's
  // SKIP_POST_DEPLOYMENT_MIGRATIONS for its pre-deployment migrations) are not the instance's.
  const shared: Record<string, string> = Object.assign({}, ...app.filter((c) => !c.oneShot).map((c) => c.env));
  // PORT and BIND are per process (see INSTANCES.md): never part of the shared env file.
  delete shared.PORT;
  delete shared.BIND;
  const lines = [
    "# The environment of the app processes, as Hearth ran them (Mastodon reads it as .env.production).",
    "# It holds the instance's secrets: keep it private.",
    ...Object.keys(shared)
      .sort()
      .map((key) => `${key}=${envValue(shared[key] ?? "")}`),
    "",
  ];
  const files = [await stageBuffer(input.work, "config/app.env", "the app processes' environment, secrets included", Buffer.from(lines.join("\n")))];
  for (const component of app) {
    for (const file of component.files ?? []) {
      files.push(await stageBuffer(input.work, `config/${basename(file.path)}`, `${file.path} in the ${component.component} container, secrets included`, Buffer.from(file.content)));
    }
  }
  return files;
}

export async function copyMedia(input: PartInput): Promise<StagedFile> {
  const holder = input.template.components.find((c) => !DATA.includes(c.component) && c.mounts.some((m) => !DATA.includes(m.volume)));
  const mount = holder?.mounts.find((m) => !DATA.includes(m.volume));
  if (!holder || !mount) throw new StepError("This software keeps no media volume.");
  const container = input.containers.get(holder.component);
  if (!container) throw new StepError(`The ${holder.component} container, which holds the media volume, is missing on the Docker host.`);
  // Docker's archive of the folder; it works on a stopped container too.
  const archive = await input.docker.getContainer(container.name).getArchive({ path: mount.target });
  const what = `the ${mount.volume} volume (${mount.target}) as a tar; extract it in ${dirname(mount.target)}`;
  const staged = await stageWriter(input.work, "media.tar", what, byteProgress(input, "Copying the media"));
  await pipeline(archive, staged.input);
  return staged.done;
}

/** The Redis dump, after asking Redis to SAVE; left out with a note when that cannot be done. */
export async function dumpRedis(input: PartInput, password: string): Promise<{ file?: StagedFile; notes: string[] }> {
  if (!input.template.components.some((c) => c.component === "redis")) return { notes: [] };
  const container = input.containers.get("redis");
  if (container?.state !== "running") {
    return { notes: ["Redis was not running, so its dump is not included (it holds caches and queues; feeds can be rebuilt)."] };
  }
  const auth = [`REDISCLI_AUTH=${password}`];
  const notes: string[] = [];
  try {
    const saved = await execIn(input.docker, container.name, ["redis-cli", "SAVE"], 600, auth);
    if (saved.exitCode !== 0 || saved.stdout.trim() !== "OK") notes.push("Redis did not confirm SAVE: the dump is the last one it wrote.");
  } catch (error) {
    notes.push(`Redis did not SAVE (${describeStepFailure(error)}): the dump is the last one it wrote.`);
  }
  const dir = spec(input.template, "redis").mounts.find((m) => m.volume === "redis")?.target ?? "/data";
  try {
    // As redis: the file is private to it (umask 077), and root in the container holds no
    // capability to read other users' files.
    const file = await stageCommand(input, container.name, ["cat", `${dir}/dump.rdb`], "redis/dump.rdb", "Redis's dump.rdb", undefined, "redis");
    return { file, notes };
  } catch (error) {
    return { notes: [...notes, `The Redis dump is not included: ${describeStepFailure(error)}`] };
  }
}

/**
 * A Bluesky PDS keeps everything in SQLite files and a blob store on its two volumes. A
 * consistent copy needs the files at rest: the PDS is stopped for the copy (it closes its
 * databases on SIGTERM) and started again after it, even when the copy fails. Each volume
 * becomes one tar of the folder, as Docker archives it.
 */
export async function copyPdsVolumes(input: PartInput, healthSeconds: number): Promise<StagedFile[]> {
  const pds = spec(input.template, "pds");
  const container = input.containers.get("pds");
  if (!container) throw new StepError("The PDS container is missing on the Docker host.");
  const wasRunning = container.state === "running";
  if (wasRunning) {
    input.progress("Stopping the PDS for a consistent copy");
    await stopContainer(input.docker, container.name, pds.stopTimeoutSeconds);
  }
  try {
    const files: StagedFile[] = [];
    for (const mount of pds.mounts) {
      const archive = await input.docker.getContainer(container.name).getArchive({ path: mount.target });
      const name = `pds/${mount.volume}.tar`;
      const what = `the PDS's ${mount.volume} volume (${mount.target}) as a tar, copied while the PDS was stopped; extract it in ${dirname(mount.target)}`;
      const staged = await stageWriter(input.work, name, what, byteProgress(input, `Copying ${mount.target}`));
      await pipeline(archive, staged.input);
      files.push(await staged.done);
    }
    return files;
  } finally {
    if (wasRunning) {
      input.progress("Starting the PDS again");
      await startContainer(input.docker, container.name);
      await waitHealthy(input.docker, container.name, healthSeconds);
    }
  }
}
