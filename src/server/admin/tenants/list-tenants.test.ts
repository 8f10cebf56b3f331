// The admin tenant table against the real database: filters, search (with LIKE wildcards
// taken literally), every sort order, and keyset pages that cover every row exactly once,
// forwards and backwards, even while tenants are added between pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { LoadState } from "@/generated/prisma/enums";
import { db } from "@/server/db/client";
import { makeUser, smallPlanId } from "@/server/testing/fixtures";
import type { Actor } from "@/server/auth/permissions";
import { tenantListParamsSchema } from "./list-params";
import { listTenants, type TenantRow } from "./list-tenants";

afterAll(() => db.$disconnect());

const TAG = `zq${randomBytes(3).toString("hex")}`;
let admin: Actor;
const COUNT = 57;
const STATES: LoadState[] = ["HEALTHY", "HEAVY_LOAD", "UNHEALTHY", "DOWN"];

beforeAll(async () => {
  admin = await makeUser({ isHostAdmin: true });
  const owner = await makeUser();
  const planId = await smallPlanId();
  const big = await db.plan.create({ data: { slug: `${TAG}-big`, name: "Big", memoryMb: 8192, cpuMillis: 4000, diskGb: 100, monthlyCost: 9000 } });
  for (let i = 0; i < COUNT; i++) {
    const community = await db.community.create({
      data: {
        slug: `${TAG}-${i}`,
        // Repeated names test the id tie-break; one name carries LIKE wildcards.
        name: i === 5 ? `${TAG} 100%_done` : `${TAG} ${["Oak", "Pine", "Ash"][i % 3]} ${Math.floor(i / 2)}`,
        software: i % 4 === 0 ? "MISSKEY" : "MASTODON",
        status: i % 5 === 0 ? "AWAITING_FUNDING" : "LIVE",
        planId: i % 7 === 0 ? big.id : planId,
        ownerId: owner.id,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i % 13)),
        deletedAt: i === 56 ? new Date() : null,
      },
    });
    if (i % 5 !== 0) {
      await db.instance.create({ data: { communityId: community.id, phase: "RUNNING", images: { app: `x/app:v${i % 3}`, db: "pg", redis: "r" } } });
      if (i % 6 !== 0) {
        await db.tenantLoad.create({
          data: {
            communityId: community.id,
            sampledAt: new Date(),
            stateSince: new Date(),
            state: STATES[i % 4]!,
            cpuPercent: (i * 37) % 100,
            memoryBytes: BigInt(((i * 53) % 2000) * 1048576),
            netRxBps: 0,
            netTxBps: 0,
            diskReadBps: 0,
            diskWriteBps: 0,
            containersRunning: 5,
            containersTotal: 5,
          },
        });
      }
    }
  }
});

const list = (raw: Record<string, string> = {}) => listTenants(admin, tenantListParamsSchema.parse({ q: TAG, ...raw }));

async function walk(raw: Record<string, string>): Promise<TenantRow[]> {
  const rows: TenantRow[] = [];
  let page = await list(raw);
  rows.push(...page.rows);
  while (page.next) {
    page = await list({ ...raw, after: page.next });
    rows.push(...page.rows);
  }
  return rows;
}

describe("the tenant table", () => {
  it("refuses anyone but a host admin", async () => {
    await expect(listTenants(await makeUser(), tenantListParamsSchema.parse({}))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listTenants(null, tenantListParamsSchema.parse({}))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages through every tenant once, in order, for every sort and direction", async () => {
    for (const sort of ["name", "created", "status", "plan", "load"]) {
      for (const dir of ["asc", "desc"]) {
        const rows = await walk({ sort, dir });
        expect(rows.map((r) => r.id), `${sort} ${dir}`).toHaveLength(COUNT - 1); // one is deleted
        expect(new Set(rows.map((r) => r.id)).size, `${sort} ${dir}`).toBe(COUNT - 1);
      }
    }
    // The database's collation decides name order; the pages must follow it exactly.
    const byName = await walk({});
    const expected = await db.community.findMany({ where: { slug: { startsWith: `${TAG}-` }, deletedAt: null }, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true } });
    expect(byName.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    const byLoad = await walk({ sort: "load", dir: "desc" });
    const loads = byLoad.map((r) => (r.load ? Math.max(r.load.cpuShare, r.load.memoryShare) : -1));
    expect(loads).toEqual([...loads].sort((a, b) => b - a));
  });

  it("goes back with 'previous' to exactly the pages it came from", async () => {
    const first = await list({ sort: "load", dir: "desc" });
    const second = await list({ sort: "load", dir: "desc", after: first.next! });
    const third = await list({ sort: "load", dir: "desc", after: second.next! });
    expect(third.next).toBeNull();
    const back = await list({ sort: "load", dir: "desc", before: third.previous! });
    expect(back.rows.map((r) => r.id)).toEqual(second.rows.map((r) => r.id));
    const backAgain = await list({ sort: "load", dir: "desc", before: back.previous! });
    expect(backAgain.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(backAgain.previous).toBeNull();
  });

  it("does not skip or repeat rows when a tenant is created between two pages", async () => {
    const first = await list({});
    const owner = await makeUser();
    const added = await db.community.create({
      data: { slug: `${TAG}-new`, name: `${TAG} Aaa first`, software: "MASTODON", planId: await smallPlanId(), ownerId: owner.id },
    });
    const rest = await walk({ after: first.next! });
    const ids = [...first.rows, ...rest].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(COUNT - 1);
    await db.community.delete({ where: { id: added.id } });
  });

  it("filters by status, software, plan, load, and shows deleted tenants only when asked", async () => {
    expect((await list({ status: "AWAITING_FUNDING" })).total).toBe(12);
    expect((await list({ software: "MISSKEY" })).total).toBe(14);
    expect((await list({ plan: `${TAG}-big` })).total).toBe(8);
    expect((await list({ load: "UNKNOWN" })).total).toBe(12 + 8);
    const heavy = await list({ load: "HEAVY_LOAD", size: "100" });
    expect(heavy.rows.every((r) => r.load?.state === "HEAVY_LOAD")).toBe(true);
    expect((await list({ status: "DELETED" })).rows.map((r) => r.slug)).toEqual([`${TAG}-56`]);
    expect((await list({ funding: "AWAITING_FUNDING" })).total).toBe(COUNT - 1);
  });

  it("takes search text literally: % and _ are not wildcards", async () => {
    expect((await list({ q: `${TAG} 100%_done` })).rows.map((r) => r.slug)).toEqual([`${TAG}-5`]);
    expect((await list({ q: `${TAG} 1_0` })).total).toBe(0);
    expect((await list({ q: `${TAG}-1` })).total).toBe(11); // slugs -1, -10..-19
  });

  it("shows the version, plan and load of each row", async () => {
    const { rows } = await list({ q: `${TAG} Pine 0` });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ software: "MASTODON", version: "v1", plan: { slug: "small" }, status: "LIVE" });
  });

  it("treats a malformed URL as the first page instead of failing", async () => {
    const page = await listTenants(admin, tenantListParamsSchema.parse({ q: TAG, sort: "drop table", dir: "sideways", size: "7", after: "%%%", status: "NOPE" }));
    expect(page.rows).toHaveLength(25);
    expect(page.previous).toBeNull();
  });
});
