#!/usr/bin/env node
// Do prisma/schema.prisma and prisma/migrations agree?
//
//   schemaDrift()        no database. Diffs the schema snapshot written by
//                        new-migration.mjs (prisma/migrations/schema-snapshot.prisma,
//                        = the schema the migrations produce) against schema.prisma.
//   migrationsDrift()    authoritative, needs a PostgreSQL server. The wasm schema
//                        engine applies every migration.sql to a temporary shadow
//                        database on that server, describes it and diffs it against
//                        schema.prisma. Catches hand-edited migration.sql and stale
//                        snapshots. Needs the CREATEDB privilege.
// Both resolve to the SQL that would bring the migrations to schema.prisma, '' when in sync.
//
// CLI:  node prisma/tools/drift.mjs            snapshot check (offline)
//       node prisma/tools/drift.mjs --db [url] also the shadow-database check (url
//                                                defaults to $DATABASE_URL)
// Exit status 1 and the missing SQL on stdout when something drifted.
import fs from 'node:fs';
import path from 'node:path';
import { openEngine } from './schema-engine.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function projectPaths(root = ROOT) {
  const migrations = path.join(root, 'prisma/migrations');
  return {
    schema: path.join(root, 'prisma/schema.prisma'),
    migrations,
    snapshot: path.join(migrations, 'schema-snapshot.prisma'),
    lockfile: path.join(migrations, 'migration_lock.toml'),
  };
}

/** The migrations folder in the shape the engine wants (as the Prisma CLI builds it). */
export function readMigrations(dir) {
  const read = (file) => {
    try {
      return { tag: 'ok', value: fs.readFileSync(file, 'utf8') };
    } catch (err) {
      return { tag: 'error', value: err.message };
    }
  };
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : [];
  const lock = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .map((name) => ({
        path: name,
        migrationFile: { path: 'migration.sql', content: read(path.join(dir, name, 'migration.sql')) },
      })),
  };
}

const schemaTarget = (file, content = fs.readFileSync(file, 'utf8')) => ({
  tag: 'schemaDatamodel',
  files: [{ path: file, content }],
});

/** SQL script from one diff target to another; '' when there is no difference. */
export async function diffTargets(from, to, { url } = {}) {
  const quiet = process.env.PRISMA_ENGINE_LOG ? undefined : () => {};
  const { engine, close } = await openEngine({ datasource: url ? { url } : {}, onLog: quiet });
  try {
    const filters = { externalTables: [], externalEnums: [] };
    const { exitCode, stdout } = await engine.diff({ from, to, script: true, exitCode: true, filters });
    return exitCode === 2 ? stdout : ''; // with exitCode: true, 2 means "non-empty diff"
  } finally {
    await close();
  }
}

/** Schema-to-schema diff of two Prisma schema texts (no database). */
export function diffSchemas(fromContent, toContent, { fromPath = 'from.prisma', toPath = 'to.prisma' } = {}) {
  const from = fromContent == null ? { tag: 'empty' } : schemaTarget(fromPath, fromContent);
  return diffTargets(from, schemaTarget(toPath, toContent));
}

/** Offline: SQL from the migrations' schema snapshot to schema.prisma ('' = in sync). */
export async function schemaDrift({ root = ROOT } = {}) {
  const p = projectPaths(root);
  const migrations = readMigrations(p.migrations).migrationDirectories;
  if (!fs.existsSync(p.snapshot)) {
    if (migrations.length) {
      throw new Error(`${p.snapshot} is missing: run new-migration.mjs --baseline once (see README)`);
    }
    return diffSchemas(null, fs.readFileSync(p.schema, 'utf8'), { toPath: p.schema }); // no migrations yet
  }
  return diffSchemas(fs.readFileSync(p.snapshot, 'utf8'), fs.readFileSync(p.schema, 'utf8'), {
    fromPath: p.snapshot,
    toPath: p.schema,
  });
}

/** With a PostgreSQL server: SQL from "all migrations applied" to schema.prisma ('' = in sync). */
export async function migrationsDrift({ root = ROOT, url = process.env.DATABASE_URL } = {}) {
  if (!url) throw new Error('migrationsDrift needs a PostgreSQL url (a shadow database is created on that server)');
  const p = projectPaths(root);
  return diffTargets({ tag: 'migrations', ...readMigrations(p.migrations) }, schemaTarget(p.schema), { url });
}

async function cli(argv) {
  const i = argv.indexOf('--db');
  const url = i >= 0 ? (argv[i + 1] && !argv[i + 1].startsWith('-') ? argv[i + 1] : process.env.DATABASE_URL) : null;
  if (i >= 0 && !url) throw new Error('--db needs a url or $DATABASE_URL');
  let drifted = false;
  const report = (what, sql) => {
    if (!sql) return console.error(`ok    ${what}`);
    drifted = true;
    console.error(`DRIFT ${what}; SQL still needed:`);
    process.stdout.write(sql.endsWith('\n') ? sql : sql + '\n');
  };
  try {
    report('schema snapshot vs prisma/schema.prisma', await schemaDrift());
  } catch (err) {
    if (!/is missing/.test(err.message)) throw err;
    drifted = true;
    console.error(`MISSING ${err.message}`);
  }
  if (url) report('migrations (on a shadow database) vs prisma/schema.prisma', await migrationsDrift({ url }));
  if (drifted) {
    console.error('Schema changed: node prisma/tools/new-migration.mjs <name>. Only the shadow check failing means a');
    console.error('migration.sql was edited by hand or the snapshot is stale (e.g. after `prisma migrate dev`).');
  }
  return drifted ? 1 : 0;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === import.meta.filename) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err?.message ?? err);
      process.exit(2);
    },
  );
}
