// GET /admin/tenants/<id>/logs on the real Docker engine: what the route adds to openTenantLogs
// (src/server/admin/tenants/tenant-logs.docker.test.ts tests the stream itself): host admins
// only, the query checked at its fields (422), and a text/event-stream body that ends its
// Docker streams when the browser leaves.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openLogStreamCount } from "@/server/admin/tenants/tenant-logs";
import { buildBusybox, removeAll, tenantContainer } from "@/server/admin/testing/docker";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { logLines, readEvents } from "@/server/admin/testing/sse";
import { db } from "@/server/db/client";
import { actAs } from "@/server/testing/current-actor-mock";
import { makeUser } from "@/server/testing/fixtures";
import { GET } from "./route";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));

let tenantId: string;

beforeAll(async () => {
  await buildBusybox();
  tenantId = (await makeTenant({ instance: { phase: "RUNNING" } })).community.id;
  await tenantContainer(tenantId, "sidekiq", "i=0; while true; do i=$((i+1)); echo job-$i; sleep 0.1; done");
}, 120_000);

afterAll(async () => {
  await removeAll();
  await db.$disconnect();
});

const call = async (query: string, signal?: AbortSignal) => {
  const request = new Request(`http://hearth.test/admin/tenants/${tenantId}/logs${query}`, { signal });
  return GET(Object.assign(request, { nextUrl: new URL(request.url) }) as never, { params: Promise.resolve({ id: tenantId }) });
};

describe("GET /admin/tenants/<id>/logs", () => {
  it("is not found for anyone but a host admin", async () => {
    for (const actor of [await makeUser(), null]) {
      actAs(actor);
      expect((await call("?component=sidekiq")).status).toBe(404);
    }
    expect(openLogStreamCount()).toBe(0);
  });

  it("validates tail and component for an admin (422 at the field) and streams text/event-stream", async () => {
    actAs(await makeUser({ isHostAdmin: true }));
    for (const [query, field] of [["?tail=5001", "tail"], ["?tail=-1", "tail"], ["?tail=abc", "tail"], ["?component=..%2Fetc", "component"]] as const) {
      const response = await call(query);
      expect(response.status, query).toBe(422);
      expect(((await response.json()) as { error: { fields: Record<string, string> } }).error.fields[field], query).toBeTruthy();
    }
    const browser = new AbortController();
    const response = await call("?component=sidekiq&tail=2", browser.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events } = await readEvents(response.body!, (e) => logLines(e).length >= 3);
    expect(logLines(events).every((l) => l.c === "sidekiq" && l.s === "out")).toBe(true);
    browser.abort();
    await vi.waitFor(() => expect(openLogStreamCount()).toBe(0), { timeout: 3_000, interval: 20 });
  });
});
