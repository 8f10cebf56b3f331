// The pure parts of provisioning, without Docker: secrets, sealing, templates, container specs,
// Docker connection settings, pull progress, drift rules.
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { seal, unseal } from "@/server/crypto/seal";
import { dockerOptions } from "@/server/docker/connection";
import { adminUsername } from "./admin-account";
import { createOptions, limitsFor } from "./container-spec";
import { progressTracker } from "./image-pull";
import { driftRun } from "./observe";
import { reachableUrl } from "./published-address";
import { backoffSeconds } from "./reconcile-instance";
import { generateSecrets, sealSecrets, unsealSecrets, vapidKeyPair } from "./secrets";
import { configuredImages, LONG_RUNNING, longRunning, tenantTemplate } from "./templates";

// Read when the first secret is sealed (env() is evaluated lazily).
process.env.HEARTH_SECRET_KEY ??= randomBytes(32).toString("base64");

const tenant = { installationId: "0b5e8f3a-1111-2222-3333-444455556666", tenantId: "cmtenant1", slug: "birds" };
const SMALL = { memoryMb: 2048, cpuMillis: 1000 };
const input = (software: "MASTODON" | "MISSKEY" | "SHARKEY", plan = SMALL) => ({
  slug: "birds",
  plan,
  domain: "birds.hearth.localhost",
  images: configuredImages(software, parseEnv({})),
  secrets: generateSecrets(software),
  healthIntervalSeconds: 10,
});

describe("secrets", () => {
  it("makes a VAPID P-256 pair in urlsafe base64 that node:crypto reads back as one key", () => {
    const { privateKey, publicKey } = vapidKeyPair();
    expect(privateKey).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]+=*$/);
    const d = Buffer.from(privateKey, "base64url");
    const point = Buffer.from(publicKey, "base64url");
    expect(d).toHaveLength(32);
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
    // The private scalar must produce exactly this public point.
    const jwk = { kty: "EC", crv: "P-256", d: d.toString("base64url"), x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") };
    const derived = createPublicKey(createPrivateKey({ key: jwk, format: "jwk" })).export({ format: "jwk" });
    expect(derived.x).toBe(jwk.x);
    expect(derived.y).toBe(jwk.y);
  });

  it("generates Mastodon's secrets with the lengths Mastodon expects, different every time", () => {
    const a = generateSecrets("MASTODON");
    const b = generateSecrets("MASTODON");
    expect(a.mastodon?.secretKeyBase).toMatch(/^[0-9a-f]{128}$/);
    expect(a.mastodon?.activeRecordPrimaryKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.dbPassword).not.toBe(b.dbPassword);
    expect(a.mastodon?.secretKeyBase).not.toBe(b.mastodon?.secretKeyBase);
    expect(generateSecrets("MISSKEY").misskey?.setupPassword).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it("seals with AES-256-GCM bound to its context: no plaintext, no use elsewhere, no tampering", () => {
    const secrets = generateSecrets("MASTODON");
    const sealed = sealSecrets("inst1", secrets);
    expect(sealed).not.toContain(secrets.dbPassword);
    expect(unsealSecrets("inst1", sealed)).toEqual(secrets);
    expect(() => unsealSecrets("inst2", sealed)).toThrow(/could not be decrypted/);
    const [v, iv, tag, body] = sealed.split(".");
    const flipped = Buffer.from(body ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => unseal([v, iv, tag, flipped.toString("base64url")].join("."), "instance:inst1:secrets")).toThrow();
    expect(seal("x", "c")).not.toBe(seal("x", "c")); // fresh IV each time
  });
});

describe("templates", () => {
  it("Mastodon: db and redis only on the internal network, PORT never shared, pre- and post-deployment migrations around the app", () => {
    const template = tenantTemplate("MASTODON", input("MASTODON"));
    const byName = Object.fromEntries(template.components.map((c) => [c.component, c]));
    expect(Object.keys(byName)).toEqual(["db", "redis", "migrate", "web", "streaming", "sidekiq", "post-migrate"]);
    // Pre-deployment migrations before the new processes, post-deployment ones after them.
    expect(byName.migrate).toMatchObject({ stage: 1, oneShot: true, env: { SKIP_POST_DEPLOYMENT_MIGRATIONS: "true" } });
    expect(byName["post-migrate"]).toMatchObject({ stage: 3, oneShot: true, cmd: ["bundle", "exec", "rails", "db:migrate"] });
    expect(byName["post-migrate"]?.env.SKIP_POST_DEPLOYMENT_MIGRATIONS).toBeUndefined();
    expect(byName.web?.stage).toBe(2);
    expect(byName.db?.networks).toEqual(["internal"]);
    expect(byName.redis?.networks).toEqual(["internal"]);
    expect(byName.web?.networks).toEqual(["internal", "tenant"]);
    expect(byName.migrate?.oneShot).toBe(true);
    expect(byName.migrate?.cmd).toEqual(["bundle", "exec", "rails", "db:prepare"]);
    expect(byName.sidekiq?.env.PORT).toBeUndefined();
    expect(byName.web?.env.PORT).toBe("3000");
    expect(byName.streaming?.env).toMatchObject({ PORT: "4000", BIND: "0.0.0.0" });
    expect(byName.web?.env.LOCAL_DOMAIN).toBe("birds.hearth.localhost");
    expect(byName.streaming?.image).toMatch(/mastodon-streaming:v4\.7\.2$/);
    expect(longRunning(template)).toEqual(LONG_RUNNING.MASTODON);
    const shares = template.components.filter((c) => !c.oneShot).reduce((sum, c) => sum + c.share.memory, 0);
    expect(shares).toBeCloseTo(1, 5);
  });

  it("Misskey and Sharkey: a generated default.yml with the fixed id, the tenant's db and redis, and the setup password", () => {
    for (const [software, root] of [["MISSKEY", "/misskey"], ["SHARKEY", "/sharkey"]] as const) {
      const data = input(software);
      const template = tenantTemplate(software, data);
      const web = template.components.find((c) => c.component === "web");
      const file = web?.files?.[0];
      expect(file?.path).toBe(`${root}/.config/default.yml`);
      expect(file?.mode).toBe(0o440);
      expect(file?.content).toContain("url: 'https://birds.hearth.localhost/'");
      expect(file?.content).toContain("id: 'aidx'");
      expect(file?.content).toContain(`pass: '${data.secrets.dbPassword}'`);
      expect(file?.content).toContain(`setupPassword: '${data.secrets.misskey?.setupPassword}'`);
      expect(web?.mounts).toEqual([{ volume: "files", target: `${root}/files`, owner: { uid: 991, gid: 991 } }]);
      // Behind the ingress, clients' addresses come from X-Forwarded-For set by a private address.
      expect(file?.content).toContain("trustProxy:\n  - '10.0.0.0/8'\n  - '172.16.0.0/12'\n  - '192.168.0.0/16'");
      expect(file?.content).toContain("clusterLimit: 1\n");
      expect(longRunning(template)).toEqual(LONG_RUNNING[software]);
    }
  });

  it("container options: plan limits, labels, no privileges, ports on the publish address, health interval", () => {
    const template = tenantTemplate("MASTODON", input("MASTODON"));
    const web = template.components.find((c) => c.component === "web");
    if (!web) throw new Error("no web");
    const ctx = { tenant, plan: { memoryMb: 2048, cpuMillis: 1000 }, healthIntervalSeconds: 7, publishIp: "127.0.0.1" };
    const options = createOptions(web, ctx);
    expect(options.name).toBe("hearth-0b5e8f3a-birds-web");
    expect(options.HostConfig).toMatchObject({
      Memory: Math.floor(2048 * 0.35) * 1024 * 1024,
      NanoCpus: 350_000_000,
      PidsLimit: 1024,
      Privileged: false,
      RestartPolicy: { Name: "unless-stopped" },
      PortBindings: { "3000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
    });
    expect(JSON.stringify(options)).not.toContain("docker.sock");
    expect(options.Labels).toMatchObject({
      "hearth.installation": tenant.installationId,
      "hearth.tenant": "cmtenant1",
      "hearth.component": "web",
    });
    expect(options.Healthcheck?.Interval).toBe(7_000_000_000);
    expect(limitsFor(web, ctx.plan).Memory).toBe(options.HostConfig?.Memory);
    // Same input, same spec hash; a different plan, a different hash (the container is recreated).
    expect(createOptions(web, ctx).Labels?.["hearth.spec"]).toBe(options.Labels?.["hearth.spec"]);
    expect(createOptions(web, { ...ctx, plan: { memoryMb: 4096, cpuMillis: 1000 } }).Labels?.["hearth.spec"]).not.toBe(
      options.Labels?.["hearth.spec"],
    );
  });
});

describe("Docker connection settings", () => {
  const files: Record<string, string> = { "/certs/ca.pem": "CA", "/certs/cert.pem": "CERT", "/certs/key.pem": "KEY", "/keys/id": "SSHKEY" };
  const read = (path: string) => {
    if (!(path in files)) throw new Error(`no ${path}`);
    return Buffer.from(files[path] ?? "");
  };
  const settings = (overrides: Record<string, string>) => parseEnv(overrides);

  it("uses the local socket by default and unix:// paths as given", () => {
    expect(dockerOptions(settings({}), read)).toEqual({ socketPath: "/var/run/docker.sock" });
    expect(dockerOptions(settings({ DOCKER_HOST: "unix:///run/user/1000/docker.sock" }), read)).toEqual({
      socketPath: "/run/user/1000/docker.sock",
    });
  });

  it("reaches a remote engine over TCP with TLS client certificates", () => {
    const options = dockerOptions(
      settings({ DOCKER_HOST: "tcp://docker.example.org:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/certs" }),
      read,
    );
    expect(options).toMatchObject({ host: "docker.example.org", port: 2376, protocol: "https" });
    expect(String(options.ca)).toBe("CA");
    expect(String(options.key)).toBe("KEY");
    expect(() => dockerOptions(settings({ DOCKER_HOST: "tcp://h:2376", DOCKER_TLS_VERIFY: "1" }), read)).toThrow(/DOCKER_CERT_PATH/);
    expect(dockerOptions(settings({ DOCKER_HOST: "tcp://h:2375" }), read)).toEqual({ host: "h", port: 2375, protocol: "http" });
  });

  it("reaches a remote engine over SSH with a key file", () => {
    const options = dockerOptions(settings({ DOCKER_HOST: "ssh://deploy@box.example.org:2222", HEARTH_DOCKER_SSH_KEY: "/keys/id" }), read);
    expect(options).toMatchObject({ protocol: "ssh", host: "box.example.org", port: 2222, username: "deploy" });
    expect(String(options.sshOptions?.privateKey)).toBe("SSHKEY");
  });

  it("rejects other schemes at boot, naming the variable", () => {
    expect(() => parseEnv({ DOCKER_HOST: "http://x" })).toThrow(/DOCKER_HOST/);
  });

  it("turns a published address into a URL Hearth can call", () => {
    expect(reachableUrl("127.0.0.1:49153", {})).toBe("http://127.0.0.1:49153");
    expect(reachableUrl("0.0.0.0:49153", {})).toBe("http://127.0.0.1:49153");
    expect(reachableUrl("127.0.0.1:49153", { DOCKER_HOST: "tcp://10.0.0.5:2376" })).toBe("http://10.0.0.5:49153");
  });
});

describe("smaller rules", () => {
  it("sums pull progress over layers", () => {
    const tracker = progressTracker();
    expect(tracker.add({ status: "Pulling from library/postgres", id: "14-alpine" })).toBeUndefined();
    tracker.add({ status: "Pulling fs layer", id: "a" });
    expect(tracker.add({ status: "Downloading", id: "a", progressDetail: { current: 1_000_000, total: 4_000_000 } })).toBe(
      "Downloading 1.0 MB of 4.0 MB (0 of 1 layers done)",
    );
    tracker.add({ status: "Downloading", id: "b", progressDetail: { current: 500_000, total: 1_000_000 } });
    expect(tracker.add({ status: "Pull complete", id: "a" })).toBe("Downloading 4.5 MB of 5.0 MB (1 of 2 layers done)");
  });

  it("finds drift only where Docker differs from a settled desired state", () => {
    const up = (component: string) => ({ name: component, component, state: "running", status: "Up" });
    const all = ["db", "redis", "web"].map(up);
    const misskey = { desiredState: "RUNNING" as const, phase: "RUNNING" as const, software: "MISSKEY" as const };
    expect(driftRun(misskey, all, 5)).toBeNull();
    expect(driftRun(misskey, all.slice(0, 2), 5)).toBe("REPAIR");
    expect(driftRun({ ...misskey, phase: "PROVISIONING" }, [], 0)).toBeNull();
    expect(driftRun({ ...misskey, desiredState: "STOPPED", phase: "STOPPED" }, all, 5)).toBe("STOP");
    expect(driftRun({ ...misskey, desiredState: "DELETED", phase: "DELETED" }, [], 1)).toBe("DELETE");
    expect(driftRun({ ...misskey, desiredState: "DELETED", phase: "DELETED" }, [], 0)).toBeNull();
  });

  it("derives admin usernames both Mastodon and Misskey accept", () => {
    expect(adminUsername("Jane.Doe+fedi@example.org")).toBe("jane_doe_fedi");
    expect(adminUsername("admin@example.org")).toBe("organiser");
    expect(adminUsername("a-very-long-local-part-indeed@example.org")).toHaveLength(20);
  });

  it("backs off three times longer after each failure", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 10))).toEqual([10, 30, 90, 270]);
  });
});
