// The PostgreSQL side of restore and verify, run inside the tenant's own database container
// (where pg_restore and psql of the right version live): the dump is copied in, restored into a
// fresh database, counted, and swapped in by renaming, which PostgreSQL does in one transaction.
// Commands run with arguments as data over the container's local socket as the owner role.
//
// The container's root file system is read-only and its /tmp a small tmpfs, so the dump goes
// into the data volume (the one place the container writes to disk, and sized for the data),
// next to the cluster's own files under a name PostgreSQL does not use, and is removed after.
// That folder is private to the postgres user (0700) and root in the container holds no
// capability to enter it: pg_restore and rm run as postgres.
import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { StepError, execIn, tarStream } from "@/server/provisioning";

/** Enough to run SQL: the container and the database role (the instance's owner role). */
export type PgConnection = { docker: Docker; container: string; user: string; database: string };
export type PgTarget = PgConnection & {
  /** Where the data volume is mounted in the container (the official images' PGDATA). */
  dataDir: string;
};

/** The user that owns the data folder in the official images (uid 999 on Debian, 70 on Alpine). */
const OS_USER = "postgres";

/** Where a dump named `name` is put in the container: the data volume. */
export const dumpPathIn = (t: PgTarget, name: string) => `${t.dataDir}/${name}`;

const RESTORE_TIMEOUT_SECONDS = 6 * 3600;

/**
 * Copies a local file into the container at dir/name, streamed (a dump can be many GB). In a
 * container with a read-only root, `dir` must be on a volume (Docker refuses anything else).
 */
export async function putFile(docker: Docker, container: string, local: string, dir: string, name: string, source?: Readable): Promise<void> {
  const { size } = await stat(local);
  const archive = tarStream([{ name, size, mode: 0o644, content: () => source ?? createReadStream(local) }]);
  await docker.getContainer(container).putArchive(archive, { path: dir });
}

function failed(what: string, result: { exitCode: number; stderr: string; stdout?: string }): StepError {
  const said = (result.stderr || result.stdout || "").trim().split("\n").slice(-5).join("\n");
  return new StepError(`${what} exited with code ${result.exitCode}${said ? `: ${said}` : "."}`);
}

/** One psql command against `database` (default: the maintenance database); stdout as text. */
export async function psql(t: PgConnection, sql: string, database = "postgres"): Promise<string> {
  const result = await execIn(t.docker, t.container, ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "--username", t.user, "--dbname", database, "-c", sql], 600);
  if (result.exitCode !== 0) throw failed("psql", result);
  return result.stdout;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (name: string) => `'${name.replace(/'/g, "''")}'`;

// Exact rows per table of every user schema, in one statement (query_to_xml runs a count per table).
const COUNT_SQL = `SELECT table_schema || '.' || table_name || '|' ||
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables
  WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'
  ORDER BY 1`;

export async function countRows(t: PgConnection, database = t.database): Promise<Record<string, number>> {
  const out = await psql(t, COUNT_SQL, database);
  const counts: Record<string, number> = {};
  for (const line of out.split("\n")) {
    const at = line.lastIndexOf("|");
    if (at > 0) counts[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return counts;
}

export async function databaseExists(t: PgTarget, name: string): Promise<boolean> {
  return (await psql(t, `SELECT 1 FROM pg_database WHERE datname = ${literal(name)}`)).trim() === "1";
}

export async function dropDatabase(t: PgTarget, name: string): Promise<void> {
  await psql(t, `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}

/** Copies a local dump into the data volume of the database container; returns its path there. */
export async function putDump(t: PgTarget, local: string, name: string): Promise<string> {
  await putFile(t.docker, t.container, local, t.dataDir, name);
  return dumpPathIn(t, name);
}

/**
 * Restores the dump (already in the container at `dumpPath`) into a new database `name`, owned
 * by the instance's role; a database of that name left by an earlier attempt is dropped first.
 * Ownership and grants of the source are not replayed: a self-hosted dump names other roles.
 */
export async function restoreInto(t: PgTarget, dumpPath: string, name: string): Promise<void> {
  await dropDatabase(t, name);
  await psql(t, `CREATE DATABASE ${ident(name)} OWNER ${ident(t.user)}`);
  const result = await execIn(
    t.docker,
    t.container,
    ["pg_restore", "--username", t.user, "--dbname", name, "--no-owner", "--no-privileges", "--exit-on-error", "--no-password", dumpPath],
    RESTORE_TIMEOUT_SECONDS,
    undefined,
    OS_USER,
  );
  if (result.exitCode !== 0) throw failed("pg_restore", result);
}

/** Renames `from` to `to` after moving `to` aside as `aside`, in one transaction: all or nothing. */
export async function swapDatabases(t: PgTarget, from: string, to: string, aside: string): Promise<void> {
  await psql(
    t,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (${literal(from)}, ${literal(to)}) AND pid <> pg_backend_pid()`,
  );
  await psql(t, `BEGIN; ALTER DATABASE ${ident(to)} RENAME TO ${ident(aside)}; ALTER DATABASE ${ident(from)} RENAME TO ${ident(to)}; COMMIT;`);
}

/** Removes a file Hearth put into the data volume (as the folder's owner; a missing file is fine). */
export async function removeFile(t: PgTarget, path: string): Promise<void> {
  const result = await execIn(t.docker, t.container, ["rm", "-f", path], 60, undefined, OS_USER);
  if (result.exitCode !== 0) throw failed("rm", result);
}
