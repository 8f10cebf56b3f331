// The one Prisma client of the process. It talks to PostgreSQL through the pg driver
// adapter, so no native query engine is needed. Its pg pool is also the process's pool for the
// few hot statements sent without Prisma (`sqlPool()`: the Stripe webhook's insert).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/server/config/env";
import { statementNamer } from "./statement-names";

function createClient() {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start Hearth with `npm start` (it runs an embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  // allowExitOnIdle: a script that used only sqlPool() still exits when its work is done.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000, allowExitOnIdle: true });
  // Named statements (statement-names.ts), one set per pool. The adapter hands the name to pg's
  // query(), where undefined means unnamed (its type says string).
  const statementName = statementNamer();
  // $disconnect() ends the pool too (scripts and tests exit when they are done).
  const adapter = new PrismaPg(pool, { disposeExternalPool: true, statementNameGenerator: (query) => statementName(query) as string });
  const client = new PrismaClient({
    adapter,
    // Secrets stay out of every query unless a caller asks for them by name.
    omit: {
      user: { passwordHash: true },
      instance: { secretsSealed: true },
      instanceAdminCredential: { passwordSealed: true, apiTokenSealed: true },
      emailOutbox: { secretsSealed: true },
      moveIn: { secretsSealed: true },
    },
  });
  return { client, pool };
}

export type Db = ReturnType<typeof createClient>["client"];

// One client per process, kept on globalThis so Next.js module reloads in development
// reuse it. Created on first use: `next build` imports this module without a database.
const globalForDb = globalThis as unknown as { hearthDb?: ReturnType<typeof createClient> };

// After `db.$disconnect()` (which ends the pool) the next use makes a fresh client and pool,
// as Prisma alone would reconnect.
function created() {
  if (globalForDb.hearthDb?.pool.ending) globalForDb.hearthDb = undefined;
  globalForDb.hearthDb ??= createClient();
  return globalForDb.hearthDb;
}

function client(): Db {
  return created().client;
}

/**
 * The pg pool under the Prisma client, for a statement on a hot path where Prisma's own cost
 * per query matters (send it as a named, prepared statement). Not for ordinary queries.
 */
export function sqlPool(): pg.Pool {
  return created().pool;
}

export const db: Db = new Proxy({} as Db, {
  get(_, property) {
    const target = client();
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
