import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { getHealth } from "./get-health";

afterAll(() => db.$disconnect());

describe("getHealth", () => {
  it("reports the worker missing until a fresh heartbeat exists, then healthy", async () => {
    await db.workerHeartbeat.deleteMany();
    const before = await getHealth();
    expect(before.checks.database.ok).toBe(true);
    expect(before.checks.worker).toMatchObject({ ok: false, error: "no worker has reported" });
    expect(before.status).toBe("degraded");

    await db.workerHeartbeat.create({ data: { id: "test:1:1", hostname: "test", pid: 1 } });
    const after = await getHealth();
    expect(after.checks.worker.ok).toBe(true);
    expect(after.checks.worker.ageSeconds).toBeLessThanOrEqual(1);
  });

  it("treats a stale heartbeat as a missing worker", async () => {
    await db.workerHeartbeat.deleteMany();
    await db.workerHeartbeat.create({
      data: { id: "test:2:2", hostname: "test", pid: 2, lastBeatAt: new Date(Date.now() - 10 * 60_000) },
    });
    const health = await getHealth();
    expect(health.checks.worker.ok).toBe(false);
    expect(health.checks.worker.ageSeconds).toBeGreaterThanOrEqual(599);
    expect(health.status).toBe("degraded");
    await db.workerHeartbeat.deleteMany();
  });
});
