// Vitest global setup of the db and docker layers: one database is migrated once per run and
// kept as the template that each test file copies (database-per-file.ts). The server is
// TEST_DATABASE_SERVER_URL (`npm test` passes its own), else an embedded PostgreSQL made here
// and removed after; DATABASE_URL is never used, so a developer's database is never touched.
import type { TestProject } from "vitest/node";
import { createTestDatabase, dropTestDatabase, startTestServer } from "../test-database";

declare module "vitest" {
  export interface ProvidedContext {
    hearthDatabase: { serverUrl: string; template: string };
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const templateUrl = await createTestDatabase(server.serverUrl, "hearth_template");
  project.provide("hearthDatabase", { serverUrl: server.serverUrl, template: new URL(templateUrl).pathname.slice(1) });
  return async () => {
    await dropTestDatabase(templateUrl).catch(() => {});
    await server.stop();
  };
}
