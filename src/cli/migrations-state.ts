// Whether the database has every migration of prisma/migrations applied, answered without
// Prisma's schema engine: the names and checksums (sha256 of each migration.sql, as Prisma
// records them) compared with `_prisma_migrations`. `npm start` runs `prisma migrate deploy`
// only when this finds something to do (or something it cannot judge), so a restart on
// existing data does not pay for starting the engine.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";

type Row = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export function localMigrations(dir = "prisma/migrations"): { name: string; checksum: string }[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "migration.sql")))
    .sort()
    .map((name) => ({ name, checksum: createHash("sha256").update(readFileSync(join(dir, name, "migration.sql"))).digest("hex") }));
}

/** Why `migrate deploy` must run, or null when every local migration is applied unchanged. */
export async function migrationsToApply(client: pg.Client, dir = "prisma/migrations"): Promise<string | null> {
  let rows: Row[];
  try {
    rows = (await client.query<Row>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)).rows;
  } catch {
    return "no migrations applied yet";
  }
  // A failed attempt (not finished, not rolled back) is for Prisma to report.
  const failed = rows.find((row) => !row.finished_at && !row.rolled_back_at);
  if (failed) return `migration ${failed.migration_name} did not finish`;
  const applied = new Map(rows.filter((row) => row.finished_at && !row.rolled_back_at).map((row) => [row.migration_name, row.checksum]));
  const pending = localMigrations(dir).filter((m) => applied.get(m.name) !== m.checksum);
  if (pending.length === 0) return null;
  const changed = pending.filter((m) => applied.has(m.name));
  // Prisma refuses an edited migration with a clear message: let it say so.
  if (changed.length > 0) return `migration ${changed[0]!.name} was edited after it was applied`;
  return `${pending.length} migration${pending.length === 1 ? "" : "s"} to apply`;
}
