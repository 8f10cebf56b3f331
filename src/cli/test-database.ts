// Fresh databases for tests: on TEST_DATABASE_SERVER_URL when given (a server URL without a
// database name), else on an embedded PostgreSQL in a temporary folder. A migrated database can
// serve as the template of cheap copies (the db test layer makes one per test file).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded-postgres";
import { freePort } from "./processes";

export type TestServer = { serverUrl: string; stop: () => Promise<void> };

export async function startTestServer(): Promise<TestServer> {
  const external = process.env.TEST_DATABASE_SERVER_URL;
  if (external) return { serverUrl: external.replace(/\/+$/, ""), stop: async () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-test-db-"));
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort(), password: randomBytes(12).toString("hex") });
  return {
    serverUrl: db.serverUrl,
    stop: async () => {
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates a new, migrated database named `<prefix>_<random>` and returns its URL. */
export async function createTestDatabase(serverUrl: string, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await ensureDatabase(serverUrl, name);
  const url = `${serverUrl}/${name}`;
  const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed on ${name}:\n${migrate.stdout}${migrate.stderr}`);
  return url;
}

/**
 * A copy of the (migrated) template database, named `<prefix>_<random>`: a file copy on the
 * server, much cheaper than migrating. PostgreSQL refuses to copy a template someone is
 * connected to (55006); nobody should be, but a copy is retried briefly rather than failing.
 */
export async function cloneTestDatabase(serverUrl: string, template: string, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres`, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(template)}`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await client.end();
  }
  return `${serverUrl}/${name}`;
}

export async function dropTestDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  parsed.pathname = "/postgres";
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
