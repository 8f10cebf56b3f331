// Issue 11, problem 3: a tenant pinned to images that cannot be had could not be rescued
// (restart keeps the pinned images, "Change version" swaps only the app image) and the admin
// table could not find it. Re-pinning moves every image to the host's current ones; the table
// filters "needs attention"; the start form refuses software whose images are not available.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { makeTenant, TEST_IMAGES } from "@/server/admin/testing/fixtures";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import type { Actor } from "@/server/auth/permissions";
import { imagesForNewInstance } from "@/server/settings/new-instance-images";
import { unavailableSoftware } from "@/server/provisioning/image-availability";
import { deleteTenant } from "./delete-tenant";
import { tenantListParamsSchema } from "./list-params";
import { listTenants } from "./list-tenants";
import { repinTenantImages } from "./repin-tenant-images";

const enqueue = vi.hoisted(() => vi.fn<(instanceId: string) => Promise<void>>(async () => {}));
vi.mock("@/server/provisioning/queue", () => ({ enqueueReconcile: enqueue }));

afterAll(() => db.$disconnect());

let admin: Actor;
const ctx = () => ({ actor: admin, origin: { ip: "203.0.113.9", userAgent: "test" } });
beforeEach(async () => {
  enqueue.mockClear();
  admin ??= await makeUser({ isHostAdmin: true });
});

describe("re-pinning a tenant's images", () => {
  it("moves every image (not only the app's) to the host's current ones, and starts the stuck run over", async () => {
    const stuckImages = { app: "hearth-test/mastodon:v0-gone", streaming: "hearth-test/mastodon-streaming:v0-gone", db: "hearth-test/pg:gone", redis: "hearth-test/redis:gone" };
    const { community } = await makeTenant({ instance: { phase: "PROVISIONING", busy: true, images: stuckImages } });
    await db.instance.update({ where: { communityId: community.id }, data: { provisionedAt: null, lastError: "Pull image failed (attempt 2 of 3)" } });
    await repinTenantImages(ctx(), { communityId: community.id, revision: community.revision });
    const instance = await db.instance.findUniqueOrThrow({ where: { communityId: community.id } });
    const current = await imagesForNewInstance("MASTODON");
    expect(instance.images).toEqual(current);
    for (const key of ["app", "streaming", "db", "redis"] as const) expect((instance.images as Record<string, string>)[key]).not.toBe(stuckImages[key]);
    expect(instance.desiredGeneration).toBe(3); // the waiting run is superseded
    expect(enqueue).toHaveBeenCalledWith(instance.id);
    expect(await db.auditEvent.findFirst({ where: { communityId: community.id, action: "tenant.images-repinned" } })).toMatchObject({ result: "SUCCEEDED" });
    // Nothing left to change: said so, nothing bumped.
    await expect(repinTenantImages(ctx(), { communityId: community.id, revision: community.revision + 1 })).rejects.toThrow(/already uses/);
    expect((await db.instance.findUniqueOrThrow({ where: { communityId: community.id } })).desiredGeneration).toBe(3);
  });

  it("records the images of a stopped instance for its next start, and refuses a deleted tenant", async () => {
    const stopped = await makeTenant({ instance: { phase: "STOPPED", desiredState: "STOPPED", images: TEST_IMAGES } });
    await repinTenantImages(ctx(), { communityId: stopped.community.id, revision: 0 });
    expect(await db.instance.findUniqueOrThrow({ where: { communityId: stopped.community.id } })).toMatchObject({ desiredGeneration: 1, images: await imagesForNewInstance("MASTODON") });
    expect(enqueue).not.toHaveBeenCalled();

    const gone = await makeTenant({ instance: { phase: "RUNNING", images: TEST_IMAGES } });
    await deleteTenant(ctx(), { communityId: gone.community.id, revision: 0, confirm: gone.community.slug, exportFirst: false });
    await expect(repinTenantImages(ctx(), { communityId: gone.community.id, revision: 1 })).rejects.toThrow(/has been deleted/);
  });
});

describe("finding tenants that need attention", () => {
  it("lists tenants whose instance failed or gave up, and not the healthy or deleted ones", async () => {
    const name = `Attention ${Date.now()}`;
    const failing = await makeTenant({ name, instance: { phase: "PROVISIONING", busy: true } });
    await db.instance.update({ where: { communityId: failing.community.id }, data: { lastError: "Pull image failed" } });
    const broken = await makeTenant({ name, instance: { phase: "ERROR", busy: true } });
    await makeTenant({ name, instance: { phase: "RUNNING" } });
    const page = await listTenants(admin, tenantListParamsSchema.parse({ status: "ATTENTION", q: name }));
    expect(page.rows.map((r) => r.id).sort()).toEqual([failing.community.id, broken.community.id].sort());
  });
});

describe("the start form and unavailable images", () => {
  it("refuses software whose images the host's last check found neither present nor pullable", async () => {
    const owner = await makeUser();
    const check = {
      checkedAt: new Date().toISOString(),
      engine: "test-engine",
      images: [
        { image: "x/mastodon:v1", software: ["MASTODON"], present: false, pullable: false, problem: "manifest unknown" },
        { image: "x/misskey:v1", software: ["MISSKEY"], present: true, pullable: true, problem: null },
      ],
    };
    await db.setting.upsert({ where: { key: "images.availability" }, create: { key: "images.availability", value: check }, update: { value: check } });
    try {
      expect(unavailableSoftware({ ...check, checkedAt: new Date() } as never)).toEqual(new Set(["MASTODON"]));
      await expect(makeCommunity(owner, { software: "MASTODON" })).rejects.toMatchObject({
        code: "UNPROCESSABLE",
        fields: { software: expect.stringMatching(/cannot be set up on this host right now/) },
      });
      await expect(makeCommunity(owner, { software: "MISSKEY" })).resolves.toMatchObject({ software: "MISSKEY" });
    } finally {
      await db.setting.delete({ where: { key: "images.availability" } });
    }
  });
});
