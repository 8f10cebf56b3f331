// The one Prisma client of the process. It talks to PostgreSQL through the pg driver
// adapter, so no native query engine is needed.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/server/config/env";

function createClient() {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start Hearth with `npm start` (it runs an embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  const adapter = new PrismaPg({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({
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
}

export type Db = ReturnType<typeof createClient>;

// One client per process, kept on globalThis so Next.js module reloads in development
// reuse it. Created on first use: `next build` imports this module without a database.
const globalForDb = globalThis as unknown as { hearthDb?: Db };

function client(): Db {
  globalForDb.hearthDb ??= createClient();
  return globalForDb.hearthDb;
}

export const db: Db = new Proxy({} as Db, {
  get(_, property) {
    const target = client();
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
