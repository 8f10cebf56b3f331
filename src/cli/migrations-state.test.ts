// The start-up check that decides whether `prisma migrate deploy` must run, against the test
// database (migrated by Prisma itself in the global setup).
import { cpSync, mkdirSync, mkdtempSync, writeFileSync, appendFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { localMigrations, migrationsToApply } from "./migrations-state";

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

const copy = () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-migrations-"));
  cpSync("prisma/migrations", dir, { recursive: true });
  return dir;
};

it("finds nothing to do when every migration is applied, with Prisma's own checksums", async () => {
  expect(localMigrations().length).toBeGreaterThan(5);
  expect(await migrationsToApply(client)).toBeNull();
});

it("asks for deploy when a migration is new or was edited", async () => {
  const added = copy();
  mkdirSync(join(added, "99991231000000_later"));
  writeFileSync(join(added, "99991231000000_later", "migration.sql"), "SELECT 1;\n");
  expect(await migrationsToApply(client, added)).toBe("1 migration to apply");

  const edited = copy();
  const first = readdirSync(edited).filter((name) => /^\d/.test(name)).sort()[0]!;
  appendFileSync(join(edited, first, "migration.sql"), "\n-- edited\n");
  expect(await migrationsToApply(client, edited)).toBe(`migration ${first} was edited after it was applied`);
});

it("asks for deploy on a database without migrations", async () => {
  const empty = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await empty.connect();
  try {
    await empty.query("CREATE SCHEMA IF NOT EXISTS migrations_state_test");
    await empty.query("SET search_path TO migrations_state_test");
    expect(await migrationsToApply(empty)).toBe("no migrations applied yet");
  } finally {
    await empty.query("DROP SCHEMA migrations_state_test CASCADE");
    await empty.end();
  }
});
