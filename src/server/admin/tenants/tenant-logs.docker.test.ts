// Live logs and the containers card against the real Docker engine: lines demultiplexed into
// stdout and stderr, one component or all, tail size, the stream closed with the browser,
// and a slow engine that does not hold up the page. What the route adds (who may, the query
// checked at its fields, the response's headers) is tested beside it, in src/app/admin/tenants/[id]/logs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { db } from "@/server/db/client";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { buildBusybox, removeAll, tenantContainer } from "@/server/admin/testing/docker";
import { MAX_LOG_STREAMS_PER_ADMIN, openLogStreamCount, openLogViewsOf, openTenantLogs, logsQuerySchema } from "./tenant-logs";
import { tenantContainers } from "./tenant-containers";
import { logLines, readEvents, type SseEvent } from "@/server/admin/testing/sse";

let tenantId: string;
const PRINT = "i=0; while true; do i=$((i+1)); echo out-$i; echo err-$i >&2; sleep 0.1; done";

beforeAll(async () => {
  await buildBusybox();
  tenantId = (await makeTenant({ instance: { phase: "RUNNING" } })).community.id;
  await tenantContainer(tenantId, "web", PRINT, { health: "true" });
  await tenantContainer(tenantId, "sidekiq", "i=0; while true; do i=$((i+1)); echo job-$i; sleep 0.1; done");
}, 120_000);

afterAll(async () => {
  await removeAll();
  await db.$disconnect();
});

const waitFor = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

const ADMIN = "log-watching-admin";

describe("live logs", () => {
  it("sends stdout and stderr lines apart, demultiplexed, and closes the Docker stream when the browser leaves", async () => {
    await new Promise((r) => setTimeout(r, 600));
    const browser = new AbortController();
    const body = await openTenantLogs({ actorId: ADMIN, communityId: tenantId, query: logsQuerySchema.parse({ component: "web", tail: "3" }), signal: browser.signal });
    expect(openLogStreamCount()).toBe(1);
    const { events, reader } = await readEvents(body, (e) => logLines(e).filter((l) => l.s === "err").length >= 5);
    expect(events[0]).toMatchObject({ event: "containers", data: { containers: [{ component: "web" }] } });
    const got = logLines(events);
    // Each line is a timestamp and the text, with no multiplexing header bytes left in it.
    expect(got.every((l) => l.c === "web" && /^\d{4}-\d\d-\d\dT\S+ (out|err)-\d+$/.test(l.t))).toBe(true);
    expect(got.filter((l) => l.s === "out").every((l) => l.t.includes(" out-"))).toBe(true);
    expect(got.filter((l) => l.s === "err").every((l) => l.t.includes(" err-"))).toBe(true);
    // tail=3: the older lines (out-1, err-1, ...) are not sent again.
    expect(Number(/-(\d+)$/.exec(got[0]!.t)![1])).toBeGreaterThan(2);

    browser.abort();
    await waitFor(() => openLogStreamCount() === 0);
    // What was already queued may still arrive; then the body ends.
    for (let i = 0; i < 1000; i++) if ((await reader.read()).done) return;
    throw new Error("the body did not end after the browser left");
  });

  it("follows every component when asked for all, and cancelling the body also closes the streams", async () => {
    const body = await openTenantLogs({ actorId: ADMIN, communityId: tenantId, query: logsQuerySchema.parse({}), signal: new AbortController().signal });
    expect(openLogStreamCount()).toBe(2);
    const { reader } = await readEvents(body, (e) => new Set(logLines(e).map((l) => l.c)).size === 2);
    await reader.cancel();
    await waitFor(() => openLogStreamCount() === 0);
  });

  it("lets one admin hold at most MAX_LOG_STREAMS_PER_ADMIN views; closing one frees its place", async () => {
    const admin = `bounded-${Math.random()}`;
    const open = () => openTenantLogs({ actorId: admin, communityId: tenantId, query: logsQuerySchema.parse({ component: "web" }), signal: new AbortController().signal });
    const bodies = [];
    for (let i = 0; i < MAX_LOG_STREAMS_PER_ADMIN; i++) bodies.push(await open());
    await expect(open()).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(openLogViewsOf(admin)).toBe(MAX_LOG_STREAMS_PER_ADMIN);
    // Another admin is not affected.
    const other = await openTenantLogs({ actorId: `${admin}-2`, communityId: tenantId, query: logsQuerySchema.parse({ component: "web" }), signal: new AbortController().signal });
    await other.cancel();
    await bodies.pop()!.cancel();
    expect(openLogViewsOf(admin)).toBe(MAX_LOG_STREAMS_PER_ADMIN - 1);
    bodies.push(await open());
    for (const body of bodies) await body.cancel();
    expect(openLogViewsOf(admin)).toBe(0);
    await waitFor(() => openLogStreamCount() === 0);
  });

  it("says when a container stops, and ends the stream when the last one has", async () => {
    const short = await tenantContainer(tenantId, "migrate", "echo migrating; sleep 1; echo done");
    const body = await openTenantLogs({ actorId: ADMIN, communityId: tenantId, query: logsQuerySchema.parse({ component: "migrate" }), signal: new AbortController().signal });
    const { events } = await readEvents(body, () => false, 15_000).catch(() => ({ events: [] as SseEvent[] }));
    expect(logLines(events).map((l) => l.t.split(" ")[1])).toEqual(["migrating", "done"]);
    expect(events.slice(-2)).toMatchObject([{ event: "ended", data: { c: "migrate" } }, { event: "end" }]);
    expect(openLogStreamCount()).toBe(0);
    await short.remove({ force: true });
  });

  it("answers not found for a component the tenant does not have, and for another tenant's id", async () => {
    await expect(openTenantLogs({ actorId: ADMIN, communityId: tenantId, query: logsQuerySchema.parse({ component: "nosuch" }), signal: new AbortController().signal })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await makeTenant();
    await expect(openTenantLogs({ actorId: ADMIN, communityId: other.community.id, query: logsQuerySchema.parse({}), signal: new AbortController().signal })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("containers card", () => {
  it("lists the tenant's containers with state and health, by label only", async () => {
    let result = await tenantContainers(tenantId);
    for (let i = 0; i < 30 && !(result.ok && result.containers.find((c) => c.component === "web")?.health === "healthy"); i++) {
      await new Promise((r) => setTimeout(r, 200));
      result = await tenantContainers(tenantId);
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.containers.map((c) => c.component)).toEqual(["sidekiq", "web"]);
    expect(result.containers.find((c) => c.component === "web")).toMatchObject({ state: "running", health: "healthy" });
    expect(result.containers.find((c) => c.component === "sidekiq")).toMatchObject({ state: "running", health: "none" });
  });

  it("gives up on an engine that does not answer, quickly", async () => {
    const stuck = { listContainers: () => new Promise(() => {}) } as unknown as Docker;
    const start = Date.now();
    const result = await tenantContainers(tenantId, 300, stuck);
    expect(result).toEqual({ ok: false, error: "The Docker engine did not answer within 300 ms." });
    expect(Date.now() - start).toBeLessThan(1_000);
  });
});
