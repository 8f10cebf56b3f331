// The ingress on the real engine, with the test bed's Caddy image (Debian's caddy) and Caddy's
// internal CA (the local default): instances answer at https://<domain> through it with a
// certificate for their name, Mastodon's streaming WebSocket passes, a suspended instance shows
// the paused page, a removed ingress comes back with every route, a bad configuration never
// replaces a good one, and unknown names get no certificate.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { LABEL, installationId, labelFilters } from "@/server/docker/labels";
import { env } from "@/server/config/env";
import { execIn } from "@/server/provisioning/container-io";
import { listLabelled, removeLabelled } from "@/server/provisioning/docker-objects";
import { getInstanceTimeline } from "@/server/provisioning/get-instance-timeline";
import { loadInstance, planContext } from "@/server/provisioning/run-plan-context";
import { stopQueue } from "@/server/provisioning/queue";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { converge, instanceOf, seedCommunity, tenantObjects } from "@/server/provisioning/testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "@/server/provisioning/testing/standin-images";
import { ensureImage as ensureTestbedImage } from "@/testbed/images/build-image";
import { internalRootPath } from "./ca-root";
import { fetchOverHttps } from "./check-https";
import { ingressNames } from "./ingress-container";
import { readIngressState } from "./ingress-state";
import { applyConfig, reconcileIngress } from "./reconcile-ingress";
import { handshake, websocketFirstMessage } from "./testing/tls-client";

const run = randomBytes(4).toString("hex");
const dataDir = mkdtempSync(join(tmpdir(), "hearth-ingress-test-"));
Object.assign(process.env, standInEnv(run), {
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  HEARTH_DATA_DIR: dataDir,
  HEARTH_INGRESS: "on",
  // Any free host ports: other runs share this engine.
  HEARTH_INGRESS_HTTP_PORT: "0",
  HEARTH_INGRESS_HTTPS_PORT: "0",
  HEARTH_BASE_DOMAIN: "hearth.localhost",
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "90",
  HEARTH_PROVISION_MAX_ATTEMPTS: "2",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "0.5",
});

let standIns: StandIns | undefined;

beforeAll(async () => {
  const [caddy, built] = await Promise.all([ensureTestbedImage(new Docker(), "caddy", () => {}), buildStandIns(run)]);
  process.env.HEARTH_IMAGE_INGRESS = caddy.tag;
  standIns = built;
}, 15 * 60_000);

afterAll(async () => {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await db.instanceRun.count({ where: { state: "RUNNING" } })) > 0) {
    await new Promise((r) => setTimeout(r, 250));
  }
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await stopQueue();
  await db.$disconnect();
}, 120_000);

async function target(domain: string) {
  const { httpsPort } = await readIngressState();
  if (!httpsPort) throw new Error("the ingress has no published HTTPS port");
  return { domain, port: httpsPort, roots: [readFileSync(internalRootPath(env()), "utf8")] };
}

async function get(domain: string, path: string) {
  const t = await target(domain);
  return fetchOverHttps({ domain, port: t.port, path, roots: t.roots, dnsServers: [] });
}

describe("the ingress in front of a Mastodon instance", () => {
  it("serves it at https://<address>.<base> with a certificate for its name; streaming WebSocket, pages and repair work", async () => {
    const { community, owner } = await seedCommunity("MASTODON", "i");
    await setDesiredState(community.id, "running");
    expect((await converge(community.id, 240_000)).outcome).toBe("succeeded");

    const stored = await db.community.findUniqueOrThrow({ where: { id: community.id } });
    const domain = `${community.slug}.hearth.localhost`;
    expect(stored).toMatchObject({ status: "LIVE", domain });
    const state = await readIngressState();
    expect((await instanceOf(community.id)).webAddress).toBe(`https://${domain}:${state.httpsPort}`);

    // The domain was stored once: a different base domain later does not move it.
    const loaded = await loadInstance((await instanceOf(community.id)).id);
    const later = await planContext(docker(), { ...env(), HEARTH_BASE_DOMAIN: "elsewhere.example" }, loaded!);
    expect(later.domain).toBe(domain);

    // The timeline names the ingress steps.
    const timeline = await getInstanceTimeline(community.id, owner);
    const steps = timeline?.runs[0]?.steps.map((s) => [s.label, s.state]) ?? [];
    expect(steps).toEqual(
      expect.arrayContaining([
        ["Route the domain through the ingress", "SUCCEEDED"],
        ["Certificate for the domain", "SUCCEEDED"],
        [`Reachable at https://${domain}`, "SUCCEEDED"],
      ]),
    );

    // A certificate for exactly this name, from the ingress's CA, through the published port.
    const shake = await handshake(await target(domain));
    expect(shake.ok).toBe(true);
    if (shake.ok) expect(shake.cert.subjectaltname).toBe(`DNS:${domain}`);
    expect(await get(domain, "/health")).toMatchObject({ status: 200, body: "OK\n" });

    // Nothing of the tenant is published on the host; the ingress is on its app network only.
    const { containers } = await tenantObjects(community.id);
    for (const c of containers) expect(c.Ports.filter((p) => p.PublicPort), c.Names[0]).toEqual([]);
    const names = ingressNames(await installationId());
    const ingress = await docker().getContainer(names.container).inspect();
    const tenantNetwork = `hearth-${(await installationId()).replace(/-/g, "").slice(0, 8)}-${community.slug}-net-tenant`;
    expect(Object.keys(ingress.NetworkSettings.Networks).sort()).toEqual([names.network, tenantNetwork].sort());
    expect(ingress.Config.Labels).toMatchObject({ [LABEL.installation]: await installationId(), [LABEL.component]: "ingress" });
    expect(ingress.HostConfig.RestartPolicy?.Name).toBe("unless-stopped");
    // Hardened like the tenants' containers: no capability but binding 80/443, read-only root.
    expect(ingress.HostConfig).toMatchObject({ CapDrop: ["ALL"], CapAdd: ["NET_BIND_SERVICE"], ReadonlyRootfs: true, SecurityOpt: ["no-new-privileges"] });
    expect(ingress.State.Health?.Status).toBe("healthy");

    // Mastodon's streaming API: the WebSocket upgrade passes, with the forwarded headers set.
    const ws = await websocketFirstMessage(await target(domain), "/api/v1/streaming?stream=public");
    expect(JSON.parse(ws.message)).toEqual({ event: "hello", proto: "https", host: `${domain}:${state.httpsPort}` });

    // A name Hearth does not know gets no certificate at all.
    const unknown = await handshake(await target(`nobody-${run}.hearth.localhost`));
    expect(unknown.ok).toBe(false);

    // A configuration Caddy refuses leaves the good one serving.
    await expect(
      applyConfig(docker(), names.container, { apps: { http: { servers: { bad: { listen: [":443"], routes: [{ handle: [{ handler: "no-such-handler" }] }] } } } } }),
    ).rejects.toThrow(/refused the new configuration and kept the previous one/);
    expect((await get(domain, "/health")).status).toBe(200);

    // Removing the ingress behind Hearth's back: the sweep's pass recreates it with every route.
    await docker().getContainer(names.container).remove({ force: true });
    const repaired = await reconcileIngress();
    expect(repaired.created).toBe(true);
    await expect.poll(async () => (await get(domain, "/health").catch((e: Error) => ({ status: e.message }))).status, { timeout: 60_000 }).toBe(200);

    // Suspended (funding lapsed): the domain shows the paused page with the funding link.
    await setDesiredState(community.id, "stopped");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    const paused = await get(domain, "/health");
    expect(paused.status).toBe(503);
    expect(paused.body).toContain("is paused");
    expect(paused.body).toContain(`/c/${community.slug}`);

    // Deleted: the route and the tenant network go (the ingress lets go of it first).
    await setDesiredState(community.id, "deleted");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    const left = await tenantObjects(community.id);
    expect(left.networks).toEqual([]);
    // (Caddy may still hold the certificate it had; the name is no longer served.)
    expect(await get(domain, "/health")).toMatchObject({ status: 404, body: "No community is served at this address.\n" });
  }, 600_000);
});

describe("the ingress in front of a Misskey instance", () => {
  it("creates the organiser's admin account through it, and keeps tenants apart", async () => {
    const a = await seedCommunity("MISSKEY", "ka");
    const b = await seedCommunity("MISSKEY", "kb");
    await Promise.all([setDesiredState(a.community.id, "running"), setDesiredState(b.community.id, "running")]);
    const [ra, rb] = await Promise.all([converge(a.community.id, 240_000), converge(b.community.id, 240_000)]);
    expect([ra.outcome, rb.outcome]).toEqual(["succeeded", "succeeded"]);
    const credential = await db.instanceAdminCredential.findUniqueOrThrow({ where: { instanceId: (await instanceOf(a.community.id)).id } });
    expect(credential.confirmedAt).not.toBeNull();
    expect((await get(`${a.community.slug}.hearth.localhost`, "/healthz")).status).toBe(200);
    expect((await get(`${b.community.slug}.hearth.localhost`, "/healthz")).status).toBe(200);

    // One tenant's app cannot reach the other's containers, though the ingress sits on both networks.
    const installation = (await installationId()).replace(/-/g, "").slice(0, 8);
    const fromA = `hearth-${installation}-${a.community.slug}-web`;
    for (const other of ["web", "db"]) {
      const probe = await execIn(docker(), fromA, ["timeout", "3", "wget", "-q", "-O", "-", `http://hearth-${installation}-${b.community.slug}-${other}:${other === "db" ? 5432 : 3000}/`]);
      expect(probe.exitCode, other).not.toBe(0);
    }
    // And not the ingress's admin API either: it listens on the ingress's own loopback only.
    const ingressIp = Object.values((await docker().getContainer(ingressNames(await installationId()).container).inspect()).NetworkSettings.Networks)
      .map((n) => n.IPAddress)
      .filter(Boolean);
    for (const ip of ingressIp) {
      const admin = await execIn(docker(), fromA, ["timeout", "3", "wget", "-q", "-O", "-", `http://${ip}:2019/config/`]);
      expect(admin.exitCode).not.toBe(0);
    }
  }, 600_000);
});
