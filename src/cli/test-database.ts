// A fresh database for a test run: on TEST_DATABASE_SERVER_URL when given (a server URL
// without a database name), else on an embedded PostgreSQL in a temporary folder.
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

/** Creates a new, migrated database named `<prefix>_<random>` and returns its URL. */
export async function createTestDatabase(serverUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await ensureDatabase(serverUrl, name);
  const url = `${serverUrl}/${name}`;
  const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed on ${name}:\n${migrate.stdout}${migrate.stderr}`);
  return url;
}

export async function dropTestDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  parsed.pathname = "/postgres";
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
