// npm run bench:admin: how fast is the admin's tenant table with 10,000 tenants and a year
// of metrics? Seeds its own database (on an embedded PostgreSQL unless
// TEST_DATABASE_SERVER_URL names a server), then times listTenants, the function behind
// /admin, for several views (first page, filtered, sorted, deep pages) and prints p50/p95
// over repeated runs. Drops the database at the end.
//
//   npm run bench:admin -- [--tenants 10000] [--history-tenants 1000] [--runs 60] [--explain]
import { parseArgs } from "node:util";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const { values: args } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    "history-tenants": { type: "string", default: "1000" },
    runs: { type: "string", default: "60" },
    keep: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
  },
});
const TENANTS = Number(args.tenants);
const HISTORY = Math.min(TENANTS, Number(args["history-tenants"]));
const RUNS = Number(args.runs);

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const server = await startTestServer();
  const url = await createTestDatabase(server.serverUrl, "hearth_bench_admin");
  process.env.DATABASE_URL = url;
  process.env.HEARTH_ADMIN_EMAILS ??= "";
  try {
    // Imported after DATABASE_URL is set: the client reads it once.
    const { seedBench } = await import("./bench-admin-seed");
    const { db } = await import("@/server/db/client");
    const { listTenants } = await import("@/server/admin/tenants/list-tenants");
    const { tenantListParamsSchema } = await import("@/server/admin/tenants/list-params");

    const seeded = await seedBench(db, { tenants: TENANTS, historyTenants: HISTORY });
    for (const [what, seconds] of Object.entries(seeded.timings)) console.log(`seed ${what}: ${seconds.toFixed(1)} s`);
    console.log(`rows: ${Object.entries(seeded.rows).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")}`);

    const admin = { id: seeded.adminId, email: "bench@admin.test", name: "Bench", isHostAdmin: true };
    const views: Record<string, Record<string, string>> = {
      "first page (name, 25)": {},
      "live, by load desc, 50": { status: "LIVE", sort: "load", dir: "desc", size: "50" },
      "grace, newest first": { funding: "GRACE", sort: "created", dir: "desc" },
      "search 'oak', by plan": { q: "oak", sort: "plan" },
      "mastodon + heavy load, by load desc": { software: "MASTODON", load: "HEAVY_LOAD", sort: "load", dir: "desc" },
      "100 per page, by status": { sort: "status", size: "100" },
    };
    // A deep page: keyset from the 9,900th tenant by name.
    const deep = await db.$queryRaw<{ name: string; id: string }[]>`
      SELECT name, id FROM "Community" WHERE "deletedAt" IS NULL ORDER BY name, id OFFSET ${Math.max(0, TENANTS - 100)} LIMIT 1`;
    const { encodeCursor } = await import("@/server/admin/tenants/list-params");
    if (deep[0]) views["deep page (after the 9,900th by name)"] = { after: encodeCursor([deep[0].name, deep[0].id]) };

    console.log(`\nlistTenants, ${RUNS} runs each after 5 warm-up runs (server time: both queries and the mapping)`);
    const summary: { view: string; p50: number; p95: number; rows: number; total: number }[] = [];
    for (const [view, raw] of Object.entries(views)) {
      const params = tenantListParamsSchema.parse(raw);
      let page = await listTenants(admin, params);
      for (let i = 0; i < 4; i++) await listTenants(admin, params);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        page = await listTenants(admin, params);
        times.push(ms(start));
      }
      times.sort((a, b) => a - b);
      summary.push({ view, p50: percentile(times, 50), p95: percentile(times, 95), rows: page.rows.length, total: page.total });
    }
    for (const s of summary) {
      console.log(`  ${s.view.padEnd(42)} p50 ${s.p50.toFixed(1).padStart(6)} ms   p95 ${s.p95.toFixed(1).padStart(6)} ms   (${s.rows} rows of ${s.total.toLocaleString("en")})`);
    }
    if (args.explain) {
      const { Prisma } = await import("@/generated/prisma/client");
      const { tenantListQueries } = await import("@/server/admin/tenants/list-tenants");
      for (const [view, raw] of Object.entries(views)) {
        const queries = tenantListQueries(tenantListParamsSchema.parse(raw), "eur");
        for (const [which, sql] of Object.entries({ page: queries.page, count: queries.count })) {
          const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
          console.log(`\n--- ${view}: ${which}\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
        }
      }
    }
    const worst = Math.max(...summary.map((s) => s.p95));
    console.log(`\nslowest p95: ${worst.toFixed(1)} ms (target < 150 ms): ${worst < 150 ? "OK" : "TOO SLOW"}`);
    if (worst >= 150) process.exitCode = 1;
  } finally {
    if (!args.keep) await dropTestDatabase(url).catch((error: unknown) => console.error("could not drop the bench database:", error));
    else console.log(`kept ${url}`);
    if (!args.keep) await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
