// Seed data for bench:admin, written by PostgreSQL itself (generate_series) so 10,000 tenants
// and millions of metric rows take seconds, not minutes. The mix is meant to look like a
// real host: most tenants live, some awaiting funding, some in grace or suspended, a few
// under heavy load; names from a small vocabulary so searches match a realistic share.
import type { db as Db } from "@/server/db/client";

type PrismaClient = typeof Db;

type Options = { tenants: number; historyTenants: number };

export async function seedBench(db: PrismaClient, { tenants, historyTenants }: Options) {
  const timings: Record<string, number> = {};
  const step = async (what: string, work: () => Promise<unknown>) => {
    const start = Date.now();
    await work();
    timings[what] = (Date.now() - start) / 1000;
  };
  const adminId = "benchadmin0001";

  await step("plans, users, communities, memberships", async () => {
    await db.$executeRawUnsafe(`
      INSERT INTO "Plan" (id, slug, name, "memoryMb", "cpuMillis", "diskGb", "monthlyCost", "sortOrder", "updatedAt") VALUES
        ('benchplan1', 'small', 'Small', 2048, 1000, 20, 1500, 1, now()),
        ('benchplan2', 'medium', 'Medium', 4096, 2000, 60, 3500, 2, now()),
        ('benchplan3', 'large', 'Large', 8192, 4000, 150, 7500, 3, now())`);
    await db.$executeRawUnsafe(`INSERT INTO "User" (id, email, "isHostAdmin", "updatedAt") VALUES ('${adminId}', 'bench@admin.test', true, now())`);
    await db.$executeRawUnsafe(`
      INSERT INTO "User" (id, email, name, "updatedAt")
      SELECT 'bu' || g, 'owner' || g || '@bench.test', 'Owner ' || g, now() FROM generate_series(1, ${tenants}) g`);
    // Status mix: 70% live, 10% awaiting funding, 8% suspended, 2% provisioning, 10% live on a bigger plan.
    await db.$executeRawUnsafe(`
      INSERT INTO "Community" (id, slug, name, software, status, "planId", "ownerId", "createdAt", "updatedAt")
      SELECT 'bc' || lpad(g::text, 7, '0'),
             'town-' || g,
             initcap((ARRAY['oak','river','harbour','meadow','ember','pine','coast','moor','lantern','willow','stone','heron'])[1 + g % 12])
               || ' ' || initcap((ARRAY['social','commons','town','circle','garden','hall','square','collective','house','camp'])[1 + (g / 12) % 10])
               || ' ' || g,
             (ARRAY['MASTODON','MASTODON','MASTODON','MISSKEY','SHARKEY'])[1 + g % 5]::"Software",
             CASE WHEN g % 50 = 7 THEN 'PROVISIONING' WHEN g % 10 = 3 THEN 'AWAITING_FUNDING' WHEN g % 25 IN (5, 6) THEN 'SUSPENDED' ELSE 'LIVE' END::"CommunityStatus",
             'benchplan' || (1 + (g % 10 = 9)::int + (g % 40 = 1)::int),
             'bu' || g,
             now() - (g || ' minutes')::interval * 50,
             now()
      FROM generate_series(1, ${tenants}) g`);
    await db.$executeRawUnsafe(`
      INSERT INTO "Membership" (id, "communityId", "userId", role, "updatedAt")
      SELECT 'bm' || g, 'bc' || lpad(g::text, 7, '0'), 'bu' || g, 'OWNER', now() FROM generate_series(1, ${tenants}) g`);
  });

  await step("instances, funding, latest load, host", async () => {
    await db.$executeRawUnsafe(`
      INSERT INTO "Instance" (id, "communityId", "desiredState", "desiredGeneration", "appliedGeneration", phase, images, "provisionedAt", "updatedAt")
      SELECT 'bi' || substr(c.id, 3), c.id,
             CASE WHEN c.status = 'SUSPENDED' THEN 'STOPPED' ELSE 'RUNNING' END::"InstanceDesiredState",
             CASE WHEN c.status = 'PROVISIONING' THEN 2 ELSE 1 END, 1,
             CASE c.status WHEN 'SUSPENDED' THEN 'STOPPED' WHEN 'PROVISIONING' THEN 'PROVISIONING' ELSE 'RUNNING' END::"InstancePhase",
             CASE WHEN c.software = 'MASTODON'
               THEN jsonb_build_object('app', 'ghcr.io/mastodon/mastodon:v4.5.11', 'streaming', 'ghcr.io/mastodon/mastodon-streaming:v4.5.11', 'db', 'postgres:14-alpine', 'redis', 'redis:7-alpine')
               ELSE jsonb_build_object('app', 'misskey/misskey:2025.12.0', 'db', 'postgres:15-alpine', 'redis', 'redis:7-alpine') END,
             now(), now()
      FROM "Community" c WHERE c.status <> 'AWAITING_FUNDING'`);
    await db.$executeRawUnsafe(`
      INSERT INTO "CommunityFunding" ("communityId", state, "stateSince", "graceEndsAt", "paidThrough", "anchorAt", "monthsCharged", "updatedAt")
      SELECT c.id,
             CASE WHEN c.status = 'AWAITING_FUNDING' THEN 'AWAITING_FUNDING' WHEN c.status = 'SUSPENDED' THEN 'SUSPENDED'
                  WHEN substr(c.id, 3)::int % 17 = 0 THEN 'GRACE' ELSE 'FUNDED' END::"FundingState",
             now() - interval '20 days',
             CASE WHEN substr(c.id, 3)::int % 17 = 0 THEN now() + interval '5 days' END,
             now() + interval '10 days', now() - interval '11 months 20 days', 12, now()
      FROM "Community" c`);
    await db.$executeRawUnsafe(`
      INSERT INTO "TenantLoad" ("communityId", "sampledAt", state, "stateSince", "cpuPercent", "memoryBytes", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "diskBytes", "containersRunning", "containersTotal")
      SELECT i."communityId", now(),
             CASE WHEN i.phase = 'STOPPED' THEN 'DOWN' WHEN hashtext(i.id) % 23 = 0 THEN 'HEAVY_LOAD' WHEN hashtext(i.id) % 97 = 0 THEN 'UNHEALTHY' ELSE 'HEALTHY' END::"LoadState",
             now() - interval '2 hours',
             CASE WHEN i.phase = 'STOPPED' THEN 0 ELSE abs(hashtext(i.id) % 9000) / 100.0 END,
             (200 + abs(hashtext(i.id || 'm') % 1500))::bigint * 1048576,
             abs(hashtext(i.id || 'r') % 500000), abs(hashtext(i.id || 't') % 500000), 1000, 5000,
             (5 + abs(hashtext(i.id || 'd') % 30))::bigint * 1073741824, 5, 6
      FROM "Instance" i`);
    await db.$executeRawUnsafe(`
      INSERT INTO "HostLoad" (id, name, cpus, "memoryBytes", "containersRunning", "containersCpuPercent", "containersMemoryBytes", "sampledAt")
      VALUES ('bench-engine', 'bench-host-1', 64, 274877906944, 45000, 2400, 137438953472, now())`);
  });

  await step("ledger (a year of payments and hosting per tenant)", async () => {
    // Four contributors paying monthly for twelve months, and twelve hosting charges.
    await db.$executeRawUnsafe(`
      INSERT INTO "LedgerEntry" (id, "communityId", kind, amount, currency, "occurredAt")
      SELECT 'bl' || substr(c.id, 3) || '-' || m || '-' || k, c.id,
             CASE WHEN k = 0 THEN 'HOSTING' ELSE 'PAYMENT' END::"LedgerKind",
             CASE WHEN k = 0 THEN -(p."monthlyCost") ELSE 500 + (k * 137 + substr(c.id, 3)::int) % 900 END,
             'eur', now() - (m || ' months')::interval
      FROM "Community" c JOIN "Plan" p ON p.id = c."planId"
      CROSS JOIN generate_series(0, 11) m CROSS JOIN generate_series(0, 4) k
      WHERE c.status <> 'AWAITING_FUNDING'`);
  });

  await step(`load history (${historyTenants} tenants: a year hourly, a week at 5 minutes, 3 h raw)`, async () => {
    const subset = `SELECT "communityId" FROM "Instance" ORDER BY "communityId" LIMIT ${historyTenants}`;
    const columns = `"communityId", resolution, bucket, samples, "cpuAvg", "cpuMax", "memoryAvg", "memoryMax", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "diskBytes"`;
    const from = `(${subset.replace('"communityId"', '"communityId" AS c')}) t`;
    // Millions of rows go in faster without their indexes; they are rebuilt once at the end.
    await db.$executeRawUnsafe(`ALTER TABLE "LoadRollup" DROP CONSTRAINT "LoadRollup_pkey"`);
    await db.$executeRawUnsafe(`DROP INDEX "LoadRollup_resolution_bucket_idx"`);
    await db.$executeRawUnsafe(`
      INSERT INTO "LoadRollup" (${columns})
      SELECT t.c, 3600, b, 240, 10 + abs(hashtext(t.c || b::text) % 60), 30 + abs(hashtext(t.c || b::text) % 60),
             536870912, 805306368, 20000, 30000, 1000, 4000, 10737418240
      FROM ${from}
      CROSS JOIN generate_series(date_trunc('hour', now()) - interval '365 days', date_trunc('hour', now()), interval '1 hour') b`);
    await db.$executeRawUnsafe(`
      INSERT INTO "LoadRollup" (${columns})
      SELECT t.c, 300, b, 20, 10 + abs(hashtext(t.c || b::text) % 60), 30 + abs(hashtext(t.c || b::text) % 60),
             536870912, 805306368, 20000, 30000, 1000, 4000, 10737418240
      FROM ${from}
      CROSS JOIN generate_series(date_trunc('hour', now()) - interval '8 days', date_trunc('hour', now()), interval '5 minutes') b`);
    await db.$executeRawUnsafe(`
      INSERT INTO "LoadSample" ("communityId", at, "cpuPercent", "memoryBytes", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps")
      SELECT t.c, b, abs(hashtext(t.c || b::text) % 9000) / 100.0, 536870912, 20000, 30000, 1000, 4000
      FROM ${from}
      CROSS JOIN generate_series(now() - interval '3 hours', now(), interval '15 seconds') b`);
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '512MB'`);
        await tx.$executeRawUnsafe(`ALTER TABLE "LoadRollup" ADD CONSTRAINT "LoadRollup_pkey" PRIMARY KEY ("communityId", resolution, bucket)`);
        await tx.$executeRawUnsafe(`CREATE INDEX "LoadRollup_resolution_bucket_idx" ON "LoadRollup" (resolution, bucket)`);
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
  });

  await step("analyze", () => db.$executeRawUnsafe("ANALYZE"));

  const rows: Record<string, number> = {};
  for (const table of ["Community", "Instance", "TenantLoad", "CommunityFunding", "LedgerEntry", "LoadRollup", "LoadSample"]) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}"`);
    rows[table] = Number(row?.n ?? 0);
  }
  return { adminId, timings, rows };
}
