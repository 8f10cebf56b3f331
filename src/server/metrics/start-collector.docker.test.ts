// The worker's collector loop: it sweeps on its interval and rolls up; with two workers
// only the lease holder sweeps, and the other takes over when the holder stops.
import { afterAll, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { startCollector } from "./start-collector";
import { createFixtures } from "./test-fixtures";

const fx = createFixtures();

afterAll(async () => {
  await fx.cleanup();
  await db.$disconnect();
});

async function until(check: () => Promise<boolean> | boolean) {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error("not yet");
    },
    { timeout: 30_000, interval: 100 },
  );
}

it("sweeps on its interval while it holds the lease, rolls up, and hands over on stop", async () => {
  await fx.ensureImage();
  const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
  const community = await fx.community(plan.id);
  await fx.container(community.id, "web", "sleep 3600");

  const first = startCollector({ config: { intervalMs: 300, rollupIntervalMs: 300 } });
  await until(() => first.status().sweeps >= 1);
  const second = startCollector({ config: { intervalMs: 300, rollupIntervalMs: 300 } });
  try {
    await until(async () => (await db.loadSample.count({ where: { communityId: community.id } })) >= 3);
    expect(second.status().sweeps).toBe(0);
    expect(first.status().last?.tenants).toBeGreaterThanOrEqual(1);
    // The loop also rolls up: this community's 5-minute bucket appears.
    await until(async () => (await db.loadRollup.count({ where: { communityId: community.id, resolution: 300 } })) >= 1);

    await first.stop();
    const stoppedAt = first.status().sweeps;
    await until(() => second.status().sweeps >= 2);
    // Two more of the second's sweeps: time in which the first would have swept too.
    const secondAt = second.status().sweeps;
    await until(() => second.status().sweeps >= secondAt + 2);
    expect(first.status().sweeps).toBe(stoppedAt);
  } finally {
    await first.stop();
    await second.stop();
  }
  // Stopped collectors leave no lease behind.
  expect(await db.setting.findUnique({ where: { key: "metrics.collector.lease" } })).toBeNull();
});
