// Host settings: environment defaults, stored overrides read through zod (a broken row falls
// back instead of breaking the panel), the start form's software list, validation, and two
// admins saving at once.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { makeUser } from "@/server/testing/fixtures";
import { enabledSoftware } from "@/server/communities/enabled-software";
import { getHostSettings, SETTING } from "./host-settings";
import { hostSettingsSchema } from "./schemas";
import { SETTINGS_CONFLICT, updateHostSettings } from "./update-host-settings";

afterAll(() => db.$disconnect());
afterEach(() => db.setting.deleteMany({ where: { key: { in: Object.values(SETTING) } } }));

const origin = { ip: null, userAgent: null };
const form = (revision: string, over: Record<string, string> = {}) =>
  hostSettingsSchema.parse({
    revision,
    graceDays: "10",
    hostFee: "2.50",
    enabled_MASTODON: "on",
    enabled_SHARKEY: "on",
    versions_MASTODON: "v4.5.11, v4.5.10",
    versions_MISSKEY: "2025.12.0",
    versions_SHARKEY: "2025.4.4",
    versions_BLUESKY_PDS: "0.4",
    ...over,
  });

describe("host settings", () => {
  it("defaults to the environment, and a stored value wins", async () => {
    const defaults = await getHostSettings();
    expect(defaults.enabledSoftware).toEqual(["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"]);
    expect(defaults.revision).toBe("");
    const admin = await makeUser({ isHostAdmin: true });
    await updateHostSettings(admin, origin, form(""));
    expect(await getHostSettings()).toMatchObject({
      enabledSoftware: ["MASTODON", "SHARKEY"],
      versions: { MASTODON: ["v4.5.11", "v4.5.10"] },
      graceDays: 10,
      hostFeeCents: 250,
    });
    expect(await enabledSoftware()).toEqual(["MASTODON", "SHARKEY"]);
  });

  it("ignores a corrupt row instead of failing", async () => {
    await db.setting.create({ data: { key: SETTING.enabledSoftware, value: ["WORDPRESS"] } });
    await db.setting.create({ data: { key: SETTING.graceDays, value: "many" } });
    expect(await getHostSettings()).toMatchObject({ enabledSoftware: ["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"], graceDays: expect.any(Number) });
  });

  it("validates each field", () => {
    const result = hostSettingsSchema.safeParse({ revision: "", graceDays: "400", hostFee: "-1", versions_MASTODON: "ok, not ok!", versions_MISSKEY: "", versions_SHARKEY: "x", versions_BLUESKY_PDS: "0.4" });
    expect(result.success).toBe(false);
    const paths = new Set(result.error!.issues.map((i) => String(i.path[0])));
    expect(paths).toEqual(new Set(["graceDays", "hostFee", "versions_MASTODON", "versions_MISSKEY"]));
    const none = hostSettingsSchema.safeParse({ revision: "", graceDays: "1", hostFee: "0", versions_MASTODON: "a", versions_MISSKEY: "b", versions_SHARKEY: "c", versions_BLUESKY_PDS: "d" });
    expect(none.error?.issues[0]).toMatchObject({ path: ["enabled_MASTODON"], message: "Offer at least one software." });
  });

  it("two admins saving from the same page: the second is told to reload", async () => {
    const [a, b] = [await makeUser({ isHostAdmin: true }), await makeUser({ isHostAdmin: true })];
    const results = await Promise.allSettled([
      updateHostSettings(a, origin, form("", { graceDays: "3" })),
      updateHostSettings(b, origin, form("", { graceDays: "30" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: SETTINGS_CONFLICT } });
    expect((await getHostSettings()).graceDays).toBe(results[0]!.status === "fulfilled" ? 3 : 30);
  });

  it("refuses anyone but a host admin, writing nothing", async () => {
    await expect(updateHostSettings(await makeUser(), origin, form(""))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateHostSettings(null, origin, form(""))).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.setting.count({ where: { key: { in: Object.values(SETTING) } } })).toBe(0);
  });
});

describe("the versions offered", () => {
  it("pin a new instance to the newest offered version; by default to the configured images", async () => {
    const { imagesForNewInstance } = await import("./new-instance-images");
    const { configuredImages } = await import("@/server/config/images");
    const { env } = await import("@/server/config/env");
    expect(await imagesForNewInstance("MASTODON")).toEqual(configuredImages("MASTODON", env()));
    const admin = await makeUser({ isHostAdmin: true });
    await updateHostSettings(admin, origin, form("", { versions_MASTODON: "v9.0.0, v4.5.11" }));
    const pinned = await imagesForNewInstance("MASTODON");
    expect(pinned.app).toMatch(/\/mastodon:v9\.0\.0$/);
    expect(pinned.streaming).toMatch(/\/mastodon-streaming:v9\.0\.0$/);
    expect(pinned.db).toBe(configuredImages("MASTODON", env()).db);
  });

  it("read a version from image references, registry ports and digests included", async () => {
    const { imagesForVersion, versionOf } = await import("./image-versions");
    expect(versionOf({ app: "localhost:5000/team/app:v2" })).toBe("v2");
    expect(versionOf({ app: "localhost:5000/team/app" })).toBeNull();
    expect(versionOf({ app: "app@sha256:abc" })).toBeNull();
    expect(imagesForVersion({ app: "localhost:5000/app:v1", db: "pg:14", redis: "r:7" }, "v3")).toEqual({ app: "localhost:5000/app:v3", db: "pg:14", redis: "r:7" });
  });
});
