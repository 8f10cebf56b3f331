// Disk use per tenant against the plan's disk: an alert at 80% (DISK_HIGH), another at 95%
// (DISK_FULL, which replaces it), both closed once the use falls back; from the last measurement
// of the tenant's volumes and container layers (collector.test.ts measures those on the engine).
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { diskAlert } from "./alert-rules";
import { metricsConfig } from "./config";
import { evaluateTenants } from "./evaluate-tenants";

afterAll(() => db.$disconnect());

const GB = 1024 ** 3;

describe("disk alerts", () => {
  it("open at 80% and at 95% of the plan's disk, in words that say what to do", () => {
    expect(diskAlert("Birds", { bytes: 15.9 * GB, planGb: 20 })).toBeNull();
    expect(diskAlert("Birds", { bytes: 16 * GB, planGb: 20 })).toMatchObject({
      kind: "DISK_HIGH",
      message: expect.stringMatching(/^Birds uses 16\.0 GB of its plan's 20 GB of disk \(80%\)\. Clearing the cache of remote media/),
    });
    expect(diskAlert("Birds", { bytes: 19 * GB, planGb: 20 })).toMatchObject({ kind: "DISK_FULL", details: { bytes: 19 * GB, limitBytes: 20 * GB } });
    expect(diskAlert("Birds", { bytes: 30 * GB, planGb: 20 })?.message).toMatch(/\(150%\)\. It is nearly full/);
    expect(diskAlert("Birds", null)).toBeNull();
  });

  it("follow the tenant's last measurement: none, high, full, none again", async () => {
    const tag = randomBytes(3).toString("hex");
    const plan = await db.plan.create({ data: { slug: `disk-${tag}`, name: "Disk test", memoryMb: 1024, cpuMillis: 500, diskGb: 20, monthlyCost: 100 } });
    const owner = await db.user.create({ data: { email: `disk-${tag}@example.org` } });
    const community = await db.community.create({ data: { slug: `disk-${tag}`, name: `Disk ${tag}`, software: "MISSKEY", status: "LIVE", planId: plan.id, ownerId: owner.id } });
    const at = new Date();
    const measured = async (bytes: number | null) => {
      const row = { sampledAt: at, stateSince: at, cpuPercent: 1, memoryBytes: 1n, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0, containersRunning: 3, containersTotal: 3, diskBytes: bytes === null ? null : BigInt(bytes), diskMeasuredAt: at };
      await db.tenantLoad.upsert({ where: { communityId: community.id }, create: { communityId: community.id, ...row }, update: row });
      const evaluation = await evaluateTenants(at, new Map(), metricsConfig());
      // Apply what the collector would (open and close alert rows).
      for (const alert of evaluation.open.filter((a) => a.communityId === community.id && a.kind.startsWith("DISK"))) {
        await db.alert.create({ data: { communityId: community.id, kind: alert.kind, message: alert.message } });
      }
      await db.alert.updateMany({ where: { id: { in: evaluation.close } }, data: { closedAt: at } });
      const open = await db.alert.findMany({ where: { communityId: community.id, closedAt: null, kind: { in: ["DISK_HIGH", "DISK_FULL"] } } });
      return open.map((a) => a.kind);
    };
    expect(await measured(null)).toEqual([]);
    expect(await measured(10 * GB)).toEqual([]);
    expect(await measured(17 * GB)).toEqual(["DISK_HIGH"]);
    expect(await measured(17.5 * GB)).toEqual(["DISK_HIGH"]);
    expect(await measured(19.5 * GB)).toEqual(["DISK_FULL"]);
    expect(await measured(2 * GB)).toEqual([]);
  });
});

describe("what the host can enforce", () => {
  it("says so from the engine's storage driver and file system", async () => {
    const { describeDiskEnforcement } = await import("./disk-enforcement");
    expect(describeDiskEnforcement({ driver: "overlay2", backingFs: "extfs" }).layers).toMatch(/overlay2 on extfs, which cannot limit/);
    expect(describeDiskEnforcement({ driver: "overlay2", backingFs: "xfs" }).layers).toMatch(/pquota/);
    expect(describeDiskEnforcement(null).layers).toMatch(/could not be asked/);
    expect(describeDiskEnforcement(null).measured).toMatch(/80% and 95%.*does not stop writes/);
  });
});
