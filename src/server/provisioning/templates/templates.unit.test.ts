// The templates against what upstream needs (INSTANCES.md, issue 13) and the container hardening
// (issue 12), without Docker: sizes per plan, health checks, Redis's user, the streaming image,
// pinned releases, capabilities and read-only roots.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { defaultPlans as DEFAULT_PLANS } from "@/server/plans/default-plans";
import { createOptions } from "../container-spec";
import { generateSecrets } from "../secrets";
import { configuredImages, tenantTemplate, type TemplateInput } from ".";
import { redisConfig } from "./mastodon";
import { misskeyClusterLimit, pumaSize, sidekiqConcurrency } from "./sizing";

process.env.HEARTH_SECRET_KEY ??= randomBytes(32).toString("base64");

const plan = (slug: string) => {
  const found = DEFAULT_PLANS.find((p) => p.slug === slug);
  if (!found) throw new Error(`no plan ${slug}`);
  return { memoryMb: found.memoryMb, cpuMillis: found.cpuMillis };
};
const input = (software: "MASTODON" | "MISSKEY" | "SHARKEY", over: Partial<TemplateInput> = {}): TemplateInput => ({
  slug: "birds",
  plan: plan("small"),
  domain: "birds.hearth.localhost",
  images: configuredImages(software, parseEnv({})),
  secrets: generateSecrets(software),
  healthIntervalSeconds: 10,
  ...over,
});
const component = (software: "MASTODON" | "MISSKEY" | "SHARKEY", name: string, over: Partial<TemplateInput> = {}) => {
  const found = tenantTemplate(software, input(software, over)).components.find((c) => c.component === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const ctx = { tenant: { installationId: "0b5e8f3a-1111", tenantId: "t1", slug: "birds" }, plan: plan("small"), healthIntervalSeconds: 5, publishIp: "127.0.0.1" };

describe("memory-aware settings", () => {
  it("size puma, sidekiq and Misskey's workers to each plan's memory", () => {
    // Small gives web 716 MB: puma's default of 2 workers (about 820 MB) would be killed.
    expect(pumaSize(plan("small"))).toEqual({ webConcurrency: 0, maxThreads: 5 });
    expect(pumaSize(plan("medium"))).toEqual({ webConcurrency: 3, maxThreads: 5 });
    expect(pumaSize(plan("large"))).toEqual({ webConcurrency: 7, maxThreads: 5 });
    expect(pumaSize({ memoryMb: 1024, cpuMillis: 500 })).toEqual({ webConcurrency: 0, maxThreads: 3 });
    expect(sidekiqConcurrency(plan("small"))).toBe(17);
    expect(sidekiqConcurrency(plan("large"))).toBe(25);
    expect(sidekiqConcurrency({ memoryMb: 512, cpuMillis: 250 })).toBe(2);
    expect(misskeyClusterLimit(plan("small"))).toBe(1);
    expect(misskeyClusterLimit(plan("medium"))).toBe(2);
    expect(misskeyClusterLimit(plan("large"))).toBe(4);
  });

  it("reach the processes: WEB_CONCURRENCY and MAX_THREADS on web, -c on sidekiq, clusterLimit in default.yml", () => {
    expect(component("MASTODON", "web").env).toMatchObject({ WEB_CONCURRENCY: "0", MAX_THREADS: "5" });
    expect(component("MASTODON", "web", { plan: plan("medium") }).env).toMatchObject({ WEB_CONCURRENCY: "3" });
    expect(component("MASTODON", "sidekiq").cmd).toEqual(["bundle", "exec", "sidekiq", "-c", "17"]);
    expect(component("SHARKEY", "web", { plan: plan("large") }).files?.[0]?.content).toContain("clusterLimit: 4\n");
  });
});

describe("upstream's requirements", () => {
  it("checks PostgreSQL's health over TCP, not the socket the init server listens on", () => {
    expect(component("MASTODON", "db").health?.test).toEqual(["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "mastodon", "-d", "mastodon"]);
    expect(component("MISSKEY", "db").health?.test).toEqual(["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "misskey", "-d", "misskey"]);
  });

  it("starts redis-server itself (the image drops to its user), its password in a config file", () => {
    const secrets = generateSecrets("MASTODON");
    const redis = component("MASTODON", "redis", { secrets });
    expect(redis.cmd).toEqual(["redis-server", "/data/redis.conf"]);
    const password = secrets.redisPassword;
    expect(JSON.stringify(redis.cmd)).not.toContain(password);
    expect(redis.files).toEqual([{ path: "/data/redis.conf", content: redisConfig(password), mode: 0o400, uid: 999, gid: 999 }]);
    expect(redisConfig('a"b\\c')).toBe('requirepass "a\\"b\\\\c"\ndir /data\n');
    expect(redis.env).toEqual({ REDISCLI_AUTH: password });
  });

  it("requires Mastodon's streaming image (the app image has no streaming server since 4.3)", () => {
    const images = { ...configuredImages("MASTODON", parseEnv({})), streaming: undefined };
    expect(() => tenantTemplate("MASTODON", input("MASTODON", { images }))).toThrow(/no streaming image.*HEARTH_IMAGE_MASTODON_STREAMING/);
    expect(component("MASTODON", "streaming").image).toBe("ghcr.io/mastodon/mastodon-streaming:v4.7.2");
  });

  it("pins the current security releases by default", () => {
    const config = parseEnv({});
    expect(configuredImages("MASTODON", config)).toMatchObject({
      app: "ghcr.io/mastodon/mastodon:v4.7.2",
      streaming: "ghcr.io/mastodon/mastodon-streaming:v4.7.2",
    });
    expect(configuredImages("MISSKEY", config).app).toBe("misskey/misskey:2026.5.4");
    expect(configuredImages("SHARKEY", config).app).toBe("registry.activitypub.software/transfem-org/sharkey:2025.4.7");
  });

  it("gives every media volume to the app's user (991) before the first start", () => {
    for (const [software, name, target] of [
      ["MASTODON", "web", "/mastodon/public/system"],
      ["MASTODON", "sidekiq", "/mastodon/public/system"],
      ["MISSKEY", "web", "/misskey/files"],
      ["SHARKEY", "web", "/sharkey/files"],
    ] as const) {
      expect(component(software, name).mounts, `${software} ${name}`).toContainEqual(expect.objectContaining({ target, owner: { uid: 991, gid: 991 } }));
    }
  });
});

describe("container hardening", () => {
  it("drops every capability and adds back only what each image's start needs", () => {
    const caps = (software: "MASTODON" | "MISSKEY", name: string) => createOptions(component(software, name), ctx).HostConfig;
    expect(caps("MASTODON", "db")).toMatchObject({ CapDrop: ["ALL"], CapAdd: ["CHOWN", "FOWNER", "SETUID", "SETGID"] });
    expect(caps("MASTODON", "redis")).toMatchObject({ CapDrop: ["ALL"], CapAdd: ["CHOWN", "SETUID", "SETGID"] });
    for (const name of ["migrate", "web", "streaming", "sidekiq", "post-migrate"]) {
      expect(caps("MASTODON", name), name).toMatchObject({ CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges"] });
      expect(caps("MASTODON", name)?.CapAdd, name).toBeUndefined();
    }
    expect(caps("MISSKEY", "web")?.CapAdd).toBeUndefined();
  });

  it("makes root file systems read-only where the software allows, with tmpfs for its scratch paths", () => {
    const host = (software: "MASTODON" | "SHARKEY", name: string) => createOptions(component(software, name), ctx).HostConfig;
    expect(host("MASTODON", "db")?.ReadonlyRootfs).toBe(true);
    expect(Object.keys(host("MASTODON", "db")?.Tmpfs ?? {})).toEqual(["/var/run/postgresql", "/tmp"]);
    expect(host("MASTODON", "redis")?.ReadonlyRootfs).toBe(true);
    for (const name of ["migrate", "web", "sidekiq", "post-migrate"]) {
      expect(host("MASTODON", name), name).toMatchObject({ ReadonlyRootfs: true, Tmpfs: { "/opt/mastodon/tmp": expect.stringContaining("uid=991") } });
    }
    expect(host("MASTODON", "streaming")).toMatchObject({ ReadonlyRootfs: true, Tmpfs: { "/tmp": expect.any(String) } });
    expect(host("SHARKEY", "web")?.ReadonlyRootfs).toBe(false);
  });
});
