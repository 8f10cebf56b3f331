// The admin's tenant table: one SQL statement for the page (keyset pagination) and one for
// the count, run side by side.
//
// Why keyset: the cost of a page does not grow with its depth (OFFSET 9,975 still reads and
// throws away 9,975 joined rows), and a page never skips or repeats a tenant when tenants
// are created or change status while an admin pages through them. The price: "next" and
// "previous" instead of jumping to page 137, which nobody does with search and filters at hand.
//
// Why it stays fast with 10,000 tenants and a year of metrics: the current load comes from
// TenantLoad (one row per community, overwritten every sweep), never from the load history;
// funding state from CommunityFunding (one row per community). The page is found in two
// steps: first the ids and sort keys, joining only the tables that the filters and the sort
// need (LIMIT n+1); then, for those rows only, everything shown: plan, instance, funding,
// load and the ledger balance that the runway needs. Sorting by name, creation date or
// status walks an index on (key, id) and stops after one page; sorting by load or plan price
// is a top-N sort over the filtered rows. The count joins only what the filters need.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { CommunityStatus, InstancePhase, Software } from "@/generated/prisma/enums";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { getHostSettings, versionOf } from "@/server/settings";
import { assertHostPermission } from "@/server/auth/host-permission";
import { coverage } from "@/server/funding";
import { encodeCursor, type Cursor, type TenantListParams } from "./list-params";

const SORT_SQL = {
  name: Prisma.sql`c.name`,
  created: Prisma.sql`c."createdAt"`,
  status: Prisma.sql`c.status`,
  plan: Prisma.sql`p."monthlyCost"`,
  // The busier of CPU and memory, as a share of the plan's limit; -1 when never measured.
  load: Prisma.sql`COALESCE(GREATEST(tl."cpuPercent"::float8 / (p."cpuMillis" / 10.0), tl."memoryBytes"::float8 / (p."memoryMb" * 1048576.0)), -1)`,
} as const;

function cursorValue(sort: TenantListParams["sort"], value: string | number): Prisma.Sql {
  switch (sort) {
    case "created":
      return Prisma.sql`${new Date(String(value))}::timestamp(3)`;
    case "status":
      return Prisma.sql`${String(value)}::"CommunityStatus"`;
    case "plan":
      return Prisma.sql`${Math.trunc(Number(value))}::int`;
    case "load":
      return Prisma.sql`${Number(value)}::float8`;
    default:
      return Prisma.sql`${String(value)}`;
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

function filters(params: TenantListParams): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (params.status === "DELETED") where.push(Prisma.sql`c."deletedAt" IS NOT NULL`);
  else if (params.status === "ATTENTION") {
    where.push(Prisma.sql`c."deletedAt" IS NULL`);
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "Instance" i WHERE i."communityId" = c.id AND (i.phase = 'ERROR' OR i."lastError" IS NOT NULL))`);
  } else {
    where.push(Prisma.sql`c."deletedAt" IS NULL`);
    if (params.status) where.push(Prisma.sql`c.status = ${params.status}::"CommunityStatus"`);
  }
  if (params.q) {
    const like = `%${escapeLike(params.q)}%`;
    where.push(Prisma.sql`(c.name ILIKE ${like} OR c.slug ILIKE ${like})`);
  }
  if (params.software) where.push(Prisma.sql`c.software = ${params.software}::"Software"`);
  if (params.plan) where.push(Prisma.sql`p.slug = ${params.plan}`);
  // A community without a funding row is awaiting funding; other states can use the state index.
  if (params.funding === "AWAITING_FUNDING") where.push(Prisma.sql`(cf.state IS NULL OR cf.state = 'AWAITING_FUNDING')`);
  else if (params.funding) where.push(Prisma.sql`cf.state = ${params.funding}::"FundingState"`);
  if (params.load === "UNKNOWN") where.push(Prisma.sql`tl.state IS NULL`);
  else if (params.load) where.push(Prisma.sql`tl.state = ${params.load}::"LoadState"`);
  return where;
}

// The joins each part of the query needs, so the key scan and the count stay narrow.
function joins(params: TenantListParams, forSort: boolean): Prisma.Sql {
  const plan = Boolean(params.plan) || (forSort && (params.sort === "plan" || params.sort === "load"));
  const funding = Boolean(params.funding);
  const load = Boolean(params.load) || (forSort && params.sort === "load");
  return Prisma.sql`${plan ? Prisma.sql`JOIN "Plan" p ON p.id = c."planId"` : Prisma.empty}
    ${funding ? Prisma.sql`LEFT JOIN "CommunityFunding" cf ON cf."communityId" = c.id` : Prisma.empty}
    ${load ? Prisma.sql`LEFT JOIN "TenantLoad" tl ON tl."communityId" = c.id` : Prisma.empty}`;
}

type Row = {
  id: string;
  slug: string;
  name: string;
  status: CommunityStatus;
  software: Software;
  createdAt: Date;
  deletedAt: Date | null;
  adminSuspendedAt: Date | null;
  planName: string;
  planSlug: string;
  monthlyCost: number;
  currency: string;
  cpuMillis: number;
  memoryMb: number;
  phase: InstancePhase | null;
  appImage: string | null;
  fundingState: string;
  anchorAt: Date | null;
  monthsCharged: number | null;
  graceEndsAt: Date | null;
  loadState: string | null;
  cpuPercent: number | null;
  memoryBytes: bigint | null;
  sampledAt: Date | null;
  host: string | null;
  balance: number;
  sortKey: string | number | Date;
};

export type TenantRow = ReturnType<typeof toView>;

function toView(row: Row, hostFeeCents: number, now: Date) {
  const covered = coverage({ ...row, monthlyCost: row.monthlyCost + hostFeeCents }, now);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    createdAt: row.createdAt,
    status: row.status,
    deleted: row.deletedAt !== null,
    adminSuspended: row.adminSuspendedAt !== null,
    software: row.software,
    version: row.appImage ? versionOf({ app: row.appImage }) : null,
    phase: row.phase,
    plan: { name: row.planName, slug: row.planSlug, monthlyCost: row.monthlyCost, currency: row.currency },
    funding: {
      state: row.fundingState,
      graceEndsAt: row.graceEndsAt,
      balance: row.balance,
      runwayMonths: covered.runwayMonths,
      coveredUntil: covered.coveredUntil,
    },
    load: row.loadState
      ? {
          state: row.loadState,
          cpuShare: (row.cpuPercent ?? 0) / (row.cpuMillis / 10),
          memoryShare: Number(row.memoryBytes ?? 0) / (row.memoryMb * 1048576),
          sampledAt: row.sampledAt,
        }
      : null,
    host: row.host,
  };
}

export type TenantPage = {
  rows: TenantRow[];
  total: number;
  next: string | null;
  previous: string | null;
};

/** The two statements behind a page of the table (exported for the bench's EXPLAIN). */
export function tenantListQueries(params: TenantListParams, currency: string) {
  const key = SORT_SQL[params.sort];
  const backwards = Boolean(params.before) && !params.after;
  const cursor: Cursor | undefined = params.after ?? params.before;
  // Walking backwards reads the rows before the cursor in reverse order, then flips them.
  const ascending = (params.dir === "asc") !== backwards;
  const order = Prisma.raw(ascending ? "ASC" : "DESC");
  const where = filters(params);
  const pageWhere = cursor
    ? [...where, Prisma.sql`(${key}, c.id) ${Prisma.raw(ascending ? ">" : "<")} (${cursorValue(params.sort, cursor[0])}, ${cursor[1]})`]
    : where;
  const sqlWhere = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty);
  const page = Prisma.sql`
      WITH keys AS (
        SELECT c.id, ${key} AS "sortKey"
        FROM "Community" c ${joins(params, true)}
        ${sqlWhere(pageWhere)}
        ORDER BY ${key} ${order}, c.id ${order}
        LIMIT ${params.size + 1}
      ),
      host AS (SELECT name FROM "HostLoad" ORDER BY "sampledAt" DESC LIMIT 1)
      SELECT c.id, c.slug, c.name, c.status, c.software, c."createdAt", c."deletedAt", c."adminSuspendedAt",
             p.name AS "planName", p.slug AS "planSlug", p."monthlyCost", p.currency, p."cpuMillis", p."memoryMb",
             i.phase::text AS phase, i.images->>'app' AS "appImage",
             COALESCE(cf.state::text, 'AWAITING_FUNDING') AS "fundingState", cf."anchorAt", cf."monthsCharged", cf."graceEndsAt",
             tl.state::text AS "loadState", tl."cpuPercent", tl."memoryBytes", tl."sampledAt",
             CASE WHEN i.id IS NULL THEN NULL ELSE (SELECT name FROM host) END AS host,
             COALESCE(balance.sum, 0)::int AS balance,
             keys."sortKey"
      FROM keys
      JOIN "Community" c ON c.id = keys.id
      JOIN "Plan" p ON p.id = c."planId"
      LEFT JOIN "Instance" i ON i."communityId" = c.id
      LEFT JOIN "CommunityFunding" cf ON cf."communityId" = c.id
      LEFT JOIN "TenantLoad" tl ON tl."communityId" = c.id
      LEFT JOIN LATERAL (
        SELECT SUM(l.amount) AS sum FROM "LedgerEntry" l WHERE l."communityId" = c.id AND l.currency = ${currency}
      ) balance ON true
      ORDER BY keys."sortKey" ${order}, keys.id ${order}`;
  const count = Prisma.sql`SELECT count(*) AS total FROM "Community" c ${joins(params, false)} ${sqlWhere(where)}`;
  return { page, count, backwards, cursor };
}

export async function listTenants(actor: Actor | null, params: TenantListParams, now = new Date()): Promise<TenantPage> {
  assertHostPermission(actor, "admin.dashboard");
  const settings = await getHostSettings();
  const { page: pageSql, count: countSql, backwards, cursor } = tenantListQueries(params, settings.currency);
  const [rows, count] = await Promise.all([db.$queryRaw<Row[]>(pageSql), db.$queryRaw<{ total: bigint }[]>(countSql)]);

  const more = rows.length > params.size;
  const page = rows.slice(0, params.size);
  if (backwards) page.reverse();
  const edge = (row: Row | undefined) =>
    row ? encodeCursor([row.sortKey instanceof Date ? row.sortKey.toISOString() : (row.sortKey as string | number), row.id]) : null;
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : Boolean(cursor);
  return {
    rows: page.map((row) => toView(row, settings.hostFeeCents, now)),
    total: Number(count[0]?.total ?? 0),
    next: hasNext && page.length ? edge(page.at(-1)) : null,
    previous: hasPrevious && page.length ? edge(page[0]) : null,
  };
}
