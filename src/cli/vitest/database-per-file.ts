// Vitest setup file of the db and docker layers: this test file gets its own copy of the
// migrated template (database-template.ts), so files run in parallel without seeing each
// other's rows, and every file starts from the same empty, migrated schema.
import { afterAll, inject } from "vitest";
import { cloneTestDatabase, dropTestDatabase } from "../test-database";

const { serverUrl, template } = inject("hearthDatabase");
const url = await cloneTestDatabase(serverUrl, template, "hearth_test");
process.env.DATABASE_URL = url;

// Registered first, so it runs after the file's own afterAll hooks (vitest runs them as a stack).
afterAll(async () => {
  await dropTestDatabase(url);
});
