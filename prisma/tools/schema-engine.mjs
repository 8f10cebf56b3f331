#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which the Prisma CLI
// cannot download on an offline machine. Point PRISMA_SCHEMA_ENGINE_BINARY at
// this file. It speaks the native binary's command line + JSON-RPC protocol,
// but runs @prisma/schema-engine-wasm over @prisma/adapter-pg.
//
// Protocol (what prisma/build/cli.js expects):
//   --version                                  -> "schema-engine-cli <hash>" on stdout
//   --datasource <json> cli <command>          -> exit 0, or JSON log lines on stderr,
//                                                 the ERROR one carrying fields.error_code
//   --datamodels <file>... --datasource <json> -> JSON-RPC 2.0, one message per line on
//                                                 stdin/stdout; logs go to stderr only.
//
// Also importable: `openEngine()` gives the same engine in-process (drift.mjs uses it).
import fs from 'node:fs';
import readline from 'node:readline';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

// ---- logging: one JSON object per line on stderr, shaped like the native engine's.
function log(level, message, extra = {}) {
  const target = level === 'ERROR' ? 'schema_engine::logger' : 'schema_engine_shim';
  process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target }) + '\n');
}

const quoteIdent = (name) => '"' + name.replaceAll('"', '""') + '"';

// ---- URLs. `?schema=` is a Prisma parameter, not a libpq one: the adapter gets it (the
// engine reads it from there) and, like the native engine, we make it the search_path.
function splitUrl(url) {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  if (schema && !u.searchParams.has('options')) u.searchParams.set('options', `-c search_path=${quoteIdent(schema)}`);
  return { connectionString: u.toString(), schema, database: decodeURIComponent(u.pathname.slice(1)) };
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---- driver adapter.
// 1. @prisma/adapter-pg 7.10 rejects result columns of PostgreSQL's internal
//    type "char" (oid 18), and the engine reads several of those from pg_catalog
//    when it describes a database ("Column type 'char' could not be deserialized").
//    pg already returns them as strings, so we relabel the field as bpchar for
//    the adapter and then type the column as Character, which the engine expects.
const PG_CHAR = 18, PG_BPCHAR = 1042;
const charColumns = new WeakMap(); // result rows array -> indexes of "char" columns

function relabelChar(result) {
  const cols = [];
  (result?.fields ?? []).forEach((field, i) => {
    if (field.dataTypeID !== PG_CHAR) return;
    field.dataTypeID = PG_BPCHAR;
    cols.push(i);
  });
  if (cols.length) charColumns.set(result.rows, cols);
  return result;
}

class CharAwareClient extends pg.Client {
  query(...args) {
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const done = args[cb];
      args[cb] = (err, res) => done(err, err ? res : relabelChar(res));
      return super.query(...args);
    }
    const ret = super.query(...args);
    return typeof ret?.then === 'function' ? ret.then(relabelChar) : ret;
  }
}

function typeCharColumns(queryable) {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

// 2. adapter-pg's executeScript() splits scripts on every ";" (breaking
//    functions, DO blocks, string literals). Send the script as one simple
//    query instead, as the native engine does.
async function pgAdapter({ connectionString, schema }) {
  const pool = new pg.Pool({ connectionString, Client: CharAwareClient });
  const adapter = typeCharColumns(await new PrismaPg(pool, { schema, disposeExternalPool: true }).connect());
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...a) => typeCharColumns(await startTransaction(...a));
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (err) {
      adapter.onError(err); // rethrows as the adapter's own error type
    }
  };
  return adapter;
}

// 3. adapter-pg's connectToShadowDb() spreads {database} over a config holding
//    a connectionString, and pg lets the connection string win: the "shadow"
//    database would be the MAIN one, which the engine then wipes. So we create
//    (and drop afterwards) the shadow database ourselves.
function adapterFactory(datasource, opened = []) {
  const main = datasource.url ? splitUrl(datasource.url) : null;
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      const adapter = main ? await pgAdapter(main) : offlineAdapter();
      opened.push(adapter); // the engine never disposes its main connection
      return adapter;
    },
    async connectToShadowDb() {
      if (datasource.shadowDatabaseUrl) return pgAdapter(splitUrl(datasource.shadowDatabaseUrl));
      if (!main) throw new Error('A shadow database needs datasource.url in prisma.config.ts');
      const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
      const admin = withDatabase(main.connectionString, 'postgres');
      await withClient(admin, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      const adapter = await pgAdapter({ ...main, connectionString: withDatabase(main.connectionString, name) });
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`));
      };
      return adapter;
    },
  };
}

// 4. Without a datasource url the engine still runs one probe query at start-up
//    (does the schema exist? server version?). Answer it with canned values so
//    schema-to-schema diffs work with no database at all; anything else fails.
function offlineAdapter() {
  const refuse = async () => {
    throw new Error('No database: datasource.url is not set (only schema-to-schema diffs work without one)');
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async queryRaw({ sql }) {
      if (!/\bversion\(\)/.test(sql)) return refuse();
      const { Boolean, Text, Int32 } = ColumnTypeEnum;
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [Boolean, Text, Int32],
        rows: [[true, 'PostgreSQL 18.0 (no database)', 180000]],
      };
    },
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    async dispose() {},
  };
}

// ---- the wasm engine. The package is built for bundlers, so instantiate it by hand.
let wasmReady;
function loadWasm() {
  wasmReady ??= (async () => {
    // Rust panics report their message here before the wasm traps.
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m) => (lastPanic = m) };
    const jsUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = fs.readFileSync(new URL('schema_engine_bg.wasm', jsUrl));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': wasmBindings });
    wasmBindings.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return wasmBindings;
  })();
  return wasmReady;
}
let lastPanic = null;

/**
 * The wasm schema engine, in-process. Returns { engine, close }.
 * datamodels: [[path, content]]; datasource: { url?, shadowDatabaseUrl? } (no url: offline,
 * only schema-to-schema diffs); onLog(line): engine log lines (default: stderr).
 */
export async function openEngine({ datamodels = [], datasource = {}, onLog } = {}) {
  const { SchemaEngine } = await loadWasm();
  const logLine = onLog ?? ((line) => process.stderr.write(line.endsWith('\n') ? line : line + '\n'));
  const opened = [];
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    logLine,
    bindMigrationAwareSqlAdapterFactory(adapterFactory(datasource, opened)),
  );
  const close = async () => {
    engine.free();
    await Promise.all(opened.splice(0).map((a) => a.dispose()));
  };
  return { engine, close };
}

// ---- `cli <command>`: database-level commands, done with plain `pg`.
function prismaCode(err) {
  if (err.code === '3D000') return 'P1003'; // database does not exist
  if (err.code === '28P01' || err.code === '28000') return 'P1000'; // authentication failed
  if (err.code === '42P04') return 'P1009'; // database already exists
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'].includes(err.code)) return 'P1001';
  if (err.code === 'ETIMEDOUT') return 'P1002';
  return undefined; // the CLI then shows the plain message
}

async function runCliCommand(command, datasource) {
  if (!datasource.url) throw new Error('datasource.url is not set in prisma.config.ts');
  const { connectionString, database } = splitUrl(datasource.url);
  // CREATE/DROP DATABASE must run while connected to another database.
  const maintenance = withDatabase(connectionString, database === 'postgres' ? 'template1' : 'postgres');
  switch (command) {
    case 'can-connect-to-database':
      return withClient(connectionString, (c) => c.query('SELECT 1'));
    case 'create-database':
      return withClient(maintenance, (c) => c.query(`CREATE DATABASE ${quoteIdent(database)}`));
    case 'drop-database':
      return withClient(maintenance, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`));
    default:
      throw new Error(`Unknown cli command: ${command}`);
  }
}

// ---- JSON-RPC server
// Engine errors carry `code` (a P-code) and sometimes `meta`; the CLI reads
// error.data.{error_code, message, is_panic}.
function rpcError(err, panic) {
  const message = panic ?? String(err?.message ?? err);
  return {
    code: 4466,
    message: 'An error happened. Check the data field for details.',
    data: { is_panic: Boolean(panic), message, error_code: err?.code, meta: err?.meta, error: panic ? { message } : undefined },
  };
}

async function serveRpc(args) {
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]);
  const { engine } = await openEngine({ datamodels, datasource: args.datasource });
  const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
  let printId = 1_000_000; // ids for our own requests to the CLI
  let queue = Promise.resolve(); // requests run one at a time, in order
  let current = null;

  // A Rust panic traps the wasm (RuntimeError), often outside any promise chain, and
  // leaves the instance unusable: answer the request, then exit 101 like the native engine.
  let dead = false;
  const die = (err) => {
    if (dead) return;
    dead = true;
    const panic = lastPanic ?? String(err?.stack ?? err);
    log('ERROR', panic, { is_panic: true });
    if (current) send({ jsonrpc: '2.0', id: current.id, error: rpcError(err, panic) });
    process.stdout.write('', () => process.exit(101));
  };
  process.on('uncaughtException', die);

  async function handle(req) {
    if (dead) return;
    current = req;
    if (req.method === 'getDatabaseVersion') req = { ...req, method: 'version', params: null }; // wasm's name for it
    if (typeof engineMethod(engine, req.method) !== 'function') {
      send({ jsonrpc: '2.0', id: req.id, error: { code: -32601, message: `Method not found: ${req.method}` } });
      return;
    }
    try {
      const result = await callEngine(engine, req.method, req.params === undefined ? {} : req.params);
      // The native engine prints `migrate diff` output through a "print" request
      // to the CLI; the wasm engine returns it as `stdout` instead.
      if (req.method === 'diff' && typeof result?.stdout === 'string') {
        send({ jsonrpc: '2.0', id: printId++, method: 'print', params: { content: result.stdout } });
      }
      send({ jsonrpc: '2.0', id: req.id, result: result ?? {} });
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) return die(err);
      log('ERROR', String(err?.message ?? err));
      send({ jsonrpc: '2.0', id: req.id, error: rpcError(err) });
    }
    current = null;
  }

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    if (!msg.method) return; // a reply to one of our "print" requests
    queue = queue.then(() => handle(msg));
  });
  rl.on('close', () => queue.then(() => process.exit(0)));
}

// The wasm engine's evaluateDataLoss (`migrate dev`) only finds the shadow
// database through a cache that devDiagnostic fills; after pending migrations
// were applied that cache is empty and it fails with "PostgreSQL shadow DB must
// be provided through an external factory". Fill the cache and retry once.
async function callEngine(engine, method, params) {
  try {
    return await engine[method](params);
  } catch (err) {
    if (method !== 'evaluateDataLoss' || !/shadow DB must be provided/.test(err?.message)) throw err;
    await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
    return engine[method](params);
  }
}

// Only the engine's RPC methods are callable (not free(), constructor, ...).
function engineMethod(engine, name) {
  const proto = Object.getPrototypeOf(engine);
  return typeof name === 'string' && !name.startsWith('_') && name !== 'free' && name !== 'constructor' && Object.hasOwn(proto, name)
    ? proto[name]
    : undefined;
}

function parseArgs(argv) {
  const args = { datamodels: [], datasource: {}, cli: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--datamodels') args.datamodels.push(argv[++i]);
    else if (a === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++; // unused by the wasm engine
    else if (a === 'cli') args.cli = argv[++i];
    else if (a === '--version' || a === '-V') args.version = true;
    else if (a === '--help' || a === '-h') args.help = true;
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const { version } = await loadWasm();
    process.stdout.write(`schema-engine-cli ${version()}\n`);
  } else if (args.help) {
    process.stdout.write('Prisma schema engine stand-in (wasm + adapter-pg). See prisma/tools/README.md\n');
  } else if (args.cli) {
    log('INFO', `Starting schema engine CLI: ${args.cli}`); // the CLI skips the first stderr line
    try {
      await runCliCommand(args.cli, args.datasource);
      process.exit(0);
    } catch (err) {
      log('ERROR', String(err?.message ?? err), { error_code: prismaCode(err) });
      process.exit(1);
    }
  } else {
    await serveRpc(args);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === import.meta.filename) {
  main().catch((err) => {
    log('ERROR', String(err?.stack ?? err));
    process.exit(1);
  });
}
