// Instance states on the real engine: heavy load entered and left (memory held over the
// plan's threshold, then freed), with its alert and a plan recommendation; a failing
// health check; an instance with nothing running. Short windows through the config.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type Docker from "dockerode";
import { db } from "@/server/db/client";
import { collectOnce, newCollectorState } from "./collect-once";
import { getInstanceState } from "./instance-state";
import { createFixtures, exec } from "./test-fixtures";
import type { MetricsConfig } from "./config";

const fx = createFixtures();
const config: Partial<MetricsConfig> = {
  heavyCpu: 0.9,
  heavyMemory: 0.9,
  hysteresis: 0.1,
  heavyEnterMs: 2000,
  heavyLeaveMs: 2000,
  recommendAfterMs: 3000,
};
const state = newCollectorState();
// The sweeps' clock: the windows above pass when the test moves it, not by waiting for them.
let clock = Date.now();
const advance = (ms: number) => (clock += ms);
// Each sweep is at least a millisecond after the last, as real ones are (samples are keyed by time).
const sweep = () => collectOnce({ state, config, now: () => new Date(advance(1)) });

/** Sweeps, moving the clock half a second each time, until the community reaches `wanted`. */
async function sweepUntil(communityId: string, wanted: string) {
  return vi.waitFor(
    async () => {
      advance(500);
      await sweep();
      const load = await db.tenantLoad.findUnique({ where: { communityId } });
      if (load?.state !== wanted) throw new Error(`state stayed ${load?.state}, wanted ${wanted}`);
      return load;
    },
    { timeout: 30_000, interval: 50 },
  );
}

const openAlerts = (communityId: string) =>
  db.alert.findMany({ where: { communityId, closedAt: null }, orderBy: { openedAt: "asc" } });

beforeAll(() => fx.ensureImage(), 120_000);
afterAll(async () => {
  await fx.cleanup();
  await db.$disconnect();
});

describe("heavy load", () => {
  it("is entered after the window over the threshold, alerts, recommends a larger plan, and is left again", async () => {
    // 64 MiB on a 64 MiB plan: 100 % of its memory. The larger plan would hold it calmly.
    const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 64 });
    const larger = await fx.plan({ cpuMillis: 1000, memoryMb: 256, monthlyCost: 1 });
    const community = await fx.community(plan.id);
    const container = await fx.container(
      community.id,
      "web",
      "dd if=/dev/zero of=/hold/x bs=1M count=64 2>/dev/null; sleep 3600",
      { HostConfig: { Tmpfs: { "/hold": "size=100m" } } },
    );
    // The 64 MiB are written before the first reading.
    await exec(container, ["sh", "-c", "while [ ! -s /hold/x ] || [ $(wc -c < /hold/x) -lt 67108864 ]; do sleep 0.1; done"]);
    await sweep();
    await sweep();
    expect((await db.tenantLoad.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("HEALTHY");

    const heavy = await sweepUntil(community.id, "HEAVY_LOAD");
    expect(heavy.heavySince!.getTime() - heavy.overSince!.getTime()).toBeGreaterThanOrEqual(2000);
    expect((await getInstanceState(community.id))?.label).toBe("Under heavy load");
    const [alert] = await openAlerts(community.id);
    expect(alert).toMatchObject({ kind: "HEAVY_LOAD" });
    expect(alert!.message).toMatch(new RegExp(`^${community.name} is under heavy load: memory at 1\\d\\d % of the plan's limit`));

    // Still heavy after recommendAfterMs: a recommendation naming a larger plan.
    const recommendation = await vi.waitFor(
      async () => {
        advance(500);
        await sweep();
        const found = (await openAlerts(community.id)).find((a) => a.kind === "PLAN_RECOMMENDATION");
        if (!found) throw new Error("no plan recommendation yet");
        return found;
      },
      { timeout: 20_000, interval: 50 },
    );
    const recommended = await db.plan.findUniqueOrThrow({
      where: { id: (recommendation!.details as { recommendedPlanId: string }).recommendedPlanId },
    });
    expect(recommended.memoryMb * 1024 * 1024 * 0.8).toBeGreaterThan(64 * 1024 * 1024); // it would fit calmly
    expect(recommended.monthlyCost).toBeLessThanOrEqual(larger.monthlyCost);
    expect(recommendation!.message).toContain(`Moving up to the ${recommended.name} plan`);

    // Free the memory: calm for the leave window, then healthy; the heavy-load alert closes.
    await exec(container, ["rm", "/hold/x"]);
    const healthy = await sweepUntil(community.id, "HEALTHY");
    expect(healthy.heavySince).toBeNull();
    const kinds = (await openAlerts(community.id)).map((a) => a.kind);
    expect(kinds).not.toContain("HEAVY_LOAD");
    const changes = await db.loadStateChange.findMany({ where: { communityId: community.id }, orderBy: { at: "asc" } });
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(["null->HEALTHY", "HEALTHY->HEAVY_LOAD", "HEAVY_LOAD->HEALTHY"]);

    // The recommendation stays a while (calm as long as it was heavy), then closes.
    expect(kinds).toContain("PLAN_RECOMMENDATION");
    advance(3100);
    await sweep();
    expect(await openAlerts(community.id)).toEqual([]);
  }, 90_000);
});

describe("health and availability", () => {
  let web: Docker.Container;
  let db1: Docker.Container;
  let communityId: string;

  it("a failing health check makes the instance unhealthy, naming the component", async () => {
    const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
    communityId = (await fx.community(plan.id)).id;
    web = await fx.container(communityId, "web", "mkdir -p /tmp; sleep 3600", {
      Healthcheck: { Test: ["CMD", "test", "-f", "/tmp/ok"], Interval: 300_000_000, Timeout: 1_000_000_000, Retries: 1 },
    });
    db1 = await fx.container(communityId, "db", "sleep 3600");
    const load = await sweepUntil(communityId, "UNHEALTHY");
    expect(load.containersRunning).toBe(2);
    const [alert] = await openAlerts(communityId);
    expect(alert).toMatchObject({ kind: "UNHEALTHY" });
    expect(alert!.message).toContain("web health check failing");
    expect((await getInstanceState(communityId))?.label).toBe("Having problems");

    await exec(web, ["touch", "/tmp/ok"]);
    await sweepUntil(communityId, "HEALTHY");
    expect(await openAlerts(communityId)).toEqual([]);
  });

  it("with no container running the instance is down, and comes back", async () => {
    await Promise.all([web.stop({ t: 0 }), db1.stop({ t: 0 })]);
    const load = await sweepUntil(communityId, "DOWN");
    expect(load).toMatchObject({ containersRunning: 0, containersTotal: 2, cpuPercent: 0 });
    const [alert] = await openAlerts(communityId);
    expect(alert).toMatchObject({ kind: "DOWN" });
    expect(alert!.message).toMatch(/is down: no container is running\.$/);
    expect((await getInstanceState(communityId))?.sentence).toMatch(/^The server is down/);

    await Promise.all([web.start(), db1.start()]);
    await sweepUntil(communityId, "HEALTHY");
    const closed = await db.alert.findUniqueOrThrow({ where: { id: alert!.id } });
    expect(closed.closedAt).not.toBeNull();
  });

  it("a suspended community raises no alerts, and its page shows no load state", async () => {
    const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
    const community = await fx.community(plan.id, "SUSPENDED");
    const container = await fx.container(community.id, "web", "sleep 3600");
    await container.stop({ t: 0 });
    await sweep();
    const load = await db.tenantLoad.findUniqueOrThrow({ where: { communityId: community.id } });
    expect(load.state).toBe("DOWN");
    expect(await openAlerts(community.id)).toEqual([]);
    expect(await getInstanceState(community.id)).toBeNull();
  });
});
