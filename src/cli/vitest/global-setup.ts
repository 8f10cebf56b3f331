// Vitest global setup: every run gets its own migrated database. `npm test` passes one in
// DATABASE_URL; a bare `npx vitest` makes one on an embedded PostgreSQL and removes it after.
import { createTestDatabase, startTestServer, dropTestDatabase, type TestServer } from "../test-database";

let server: TestServer | undefined;
let created: string | undefined;

export async function setup() {
  if (process.env.DATABASE_URL && process.env.HEARTH_TEST_DATABASE_READY === "1") return;
  server = await startTestServer();
  created = await createTestDatabase(server.serverUrl, "hearth_unit");
  process.env.DATABASE_URL = created;
}

export async function teardown() {
  if (created) await dropTestDatabase(created).catch(() => {});
  await server?.stop();
}
