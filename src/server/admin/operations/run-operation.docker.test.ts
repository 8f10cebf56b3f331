// The worker's side of restart and export, on the real engine: a restart restarts every
// long-running container of the tenant (data first) and waits until each is healthy again;
// an export of an instance that was never set up says so and writes nothing (real exports:
// src/server/exports/export-instance.docker.test.ts); a crashed worker's
// operation is taken again; two workers never take the same one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { buildBusybox, removeAll, tenantContainer } from "@/server/admin/testing/docker";
import { claimOperation, runDueOperations, runOperation, STALE_MS } from "./run-operation";

let tenantId: string;
const started = async (id: string) => (await docker().getContainer(id).inspect()).State.StartedAt;

beforeAll(async () => {
  await buildBusybox();
  tenantId = (await makeTenant({ instance: { phase: "RUNNING" } })).community.id;
  // A Mastodon tenant's long-running components, and a finished one-shot that must be left alone.
  for (const component of ["web", "streaming", "sidekiq", "db", "redis"]) await tenantContainer(tenantId, component, "trap 'exit 0' TERM; while true; do sleep 0.2; done", { health: "true" });
  await tenantContainer(tenantId, "migrate", "true");
}, 120_000);

afterAll(async () => {
  await removeAll();
  await db.$disconnect();
});

describe("tenant operations", () => {
  it("restart: every long-running container, data first, healthy again; the one-shot untouched", async () => {
    const containers = await docker().listContainers({ all: true, filters: { label: [`hearth.tenant=${tenantId}`] } });
    const before = new Map(await Promise.all(containers.map(async (c) => [c.Labels["hearth.component"]!, await started(c.Id)] as const)));
    const op = await db.tenantOperation.create({ data: { communityId: tenantId, kind: "RESTART" } });
    expect(await runDueOperations(tenantId)).toBe(1);
    const done = await db.tenantOperation.findUniqueOrThrow({ where: { id: op.id } });
    expect(done).toMatchObject({ state: "SUCCEEDED", error: null, attempts: 1 });
    expect(done.detail).toMatch(/^Restarted db, redis, (web|streaming|sidekiq), (web|streaming|sidekiq), (web|streaming|sidekiq); all healthy again\.$/);
    for (const c of containers) {
      const component = c.Labels["hearth.component"]!;
      if (component === "migrate") expect(await started(c.Id), component).toBe(before.get(component));
      else expect(await started(c.Id), component).not.toBe(before.get(component));
    }
  });

  it("export of an instance that was never set up: fails with the reason", async () => {
    const op = await db.tenantOperation.create({ data: { communityId: tenantId, kind: "EXPORT" } });
    await runDueOperations(tenantId);
    expect(await db.tenantOperation.findUniqueOrThrow({ where: { id: op.id } })).toMatchObject({
      state: "FAILED",
      error: "This instance was never set up, so there is nothing to export.",
    });
  });

  it("restart of an instance that is no longer running fails with the reason, touching nothing", async () => {
    await db.instance.update({ where: { communityId: tenantId }, data: { phase: "STOPPED", desiredState: "STOPPED" } });
    const op = await db.tenantOperation.create({ data: { communityId: tenantId, kind: "RESTART" } });
    await runDueOperations(tenantId);
    expect(await db.tenantOperation.findUniqueOrThrow({ where: { id: op.id } })).toMatchObject({ state: "FAILED", error: expect.stringMatching(/stopped, not running/) });
    await db.instance.update({ where: { communityId: tenantId }, data: { phase: "RUNNING", desiredState: "RUNNING" } });
  });

  it("two workers claim different operations; one left running by a dead worker is taken again", async () => {
    const a = await db.tenantOperation.create({ data: { communityId: tenantId, kind: "EXPORT" } });
    const b = await db.tenantOperation.create({ data: { communityId: tenantId, kind: "EXPORT" } });
    const [x, y] = await Promise.all([claimOperation(new Date(), tenantId), claimOperation(new Date(), tenantId)]);
    expect(new Set([x?.id, y?.id])).toEqual(new Set([a.id, b.id]));
    expect(await claimOperation(new Date(), tenantId)).toBeNull();
    // `b`'s worker is alive (its heartbeat is recent); the worker that held `a` died: after STALE_MS only `a` is due again.
    const later = new Date(Date.now() + STALE_MS + 1_000);
    await db.tenantOperation.update({ where: { id: b.id }, data: { heartbeatAt: new Date(Date.now() + 2_000) } });
    const retaken = await claimOperation(later, tenantId);
    expect(retaken?.id).toBe(a.id);
    expect(await claimOperation(later, tenantId)).toBeNull();
    // The first worker was only slow: its late outcome does not overwrite the new attempt.
    await runOperation({ ...(x!.id === a.id ? x! : y!), kind: "RESTART", communityId: "no-such-tenant" });
    expect(await db.tenantOperation.findUniqueOrThrow({ where: { id: a.id }, select: { state: true, attempts: true } })).toEqual({
      state: "RUNNING",
      attempts: 2,
    });
    await db.tenantOperation.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { state: "FAILED" } });
  });
});
