// Certificates from a real ACME CA: pebble (Let's Encrypt's test server) as a process, its names
// resolved through pebble-challtestsrv, Caddy's ACME issuer pointed at it. A funded community's
// instance answers at https://<address>.<base> with a certificate pebble issued after an HTTP-01
// challenge through the ingress's published port; a name Hearth does not route gets none, even
// with a DNS record pointing at the ingress.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { listLabelled, removeLabelled } from "@/server/provisioning/docker-objects";
import { stopQueue } from "@/server/provisioning/queue";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { converge, instanceOf, seedCommunity } from "@/server/provisioning/testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "@/server/provisioning/testing/standin-images";
import { ensureImage as ensureTestbedImage } from "@/testbed/images/build-image";
import { verifyOwnDomain } from "@/server/domains";
import { readIngressState } from "./ingress-state";
import { reconcileIngress } from "./reconcile-ingress";
import { freePort, startAcmeTestbed, type AcmeTestbed } from "./testing/acme-testbed";
import { handshake } from "./testing/tls-client";

const run = randomBytes(4).toString("hex");
const BASE = `acme-${run}.test`;
let standIns: StandIns | undefined;
let acme: AcmeTestbed | undefined;

beforeAll(async () => {
  const engine = new Docker();
  const subnet = (await engine.getNetwork("bridge").inspect()).IPAM?.Config?.[0]?.Subnet ?? "172.17.0.0/16";
  const [a, b, c, d] = (subnet.split("/")[0] ?? "").split(".").map(Number);
  const gateway = `${a}.${b}.${c}.${(d ?? 0) + 1}`;
  const httpPort = await freePort();
  const [caddy, built, testbed] = await Promise.all([
    ensureTestbedImage(engine, "caddy", () => {}),
    buildStandIns(run),
    startAcmeTestbed(gateway, httpPort),
  ]);
  standIns = built;
  acme = testbed;
  Object.assign(process.env, standInEnv(run), {
    HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
    HEARTH_INGRESS: "on",
    HEARTH_IMAGE_INGRESS: caddy.tag,
    HEARTH_BASE_DOMAIN: BASE,
    HEARTH_ACME_DIRECTORY: testbed.directory,
    HEARTH_ACME_EMAIL: "ops@example.org",
    HEARTH_ACME_CA_ROOTS: testbed.rootsFile,
    HEARTH_DNS_SERVERS: testbed.dnsServer,
    // Pebble validates HTTP-01 on this port of the address challtestsrv gives (127.0.0.1).
    HEARTH_INGRESS_HTTP_PORT: String(httpPort),
    HEARTH_INGRESS_HTTPS_PORT: "0",
    HEARTH_INGRESS_BIND: "127.0.0.1",
    HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
    HEARTH_HEALTH_TIMEOUT_SECONDS: "120",
    HEARTH_PROVISION_MAX_ATTEMPTS: "2",
    HEARTH_PROVISION_RETRY_BASE_SECONDS: "0.5",
  });
}, 15 * 60_000);

afterAll(async () => {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await db.instanceRun.count({ where: { state: "RUNNING" } })) > 0) {
    await new Promise((r) => setTimeout(r, 250));
  }
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await acme?.stop();
  await stopQueue();
  await db.$disconnect();
}, 120_000);

describe("certificates from an ACME CA (pebble)", () => {
  it("are issued through the ingress for a routed name, and never for a name Hearth does not route", async () => {
    if (!acme) throw new Error("no ACME test bed");
    const { community } = await seedCommunity("MASTODON", "a");
    const domain = `${community.slug}.${BASE}`;
    await acme.addA(domain, "127.0.0.1");
    await setDesiredState(community.id, "running");
    expect((await converge(community.id, 300_000)).outcome).toBe("succeeded");
    expect((await db.community.findUniqueOrThrow({ where: { id: community.id } })).status).toBe("LIVE");

    const { httpsPort } = await readIngressState();
    const roots = [readFileSync(acme.rootsFile, "utf8")];
    const shake = await handshake({ domain, port: httpsPort ?? 0, roots });
    expect(shake.ok).toBe(true);
    if (shake.ok) {
      expect(shake.cert.subjectaltname).toBe(`DNS:${domain}`);
      expect(String(shake.cert.issuer.CN)).toMatch(/Pebble/i);
    }
    expect((await instanceOf(community.id)).webAddress).toBe(`https://${domain}:${httpsPort}`);

    // A name pointed at the ingress but routed by nobody: the ask list says no, so no certificate.
    const stranger = `stranger-${run}.${BASE}`;
    await acme.addA(stranger, "127.0.0.1");
    expect((await handshake({ domain: stranger, port: httpsPort ?? 0, roots })).ok).toBe(false);
  }, 600_000);

  it("verifies an own domain by DNS (naming what is wrong), routes it only then, and issues its certificate on the first request", async () => {
    if (!acme) throw new Error("no ACME test bed");
    const { community } = await seedCommunity("MISSKEY", "o");
    const own = `own-${run}.example`;
    await db.community.update({ where: { id: community.id }, data: { domain: own, domainOwn: true } });
    await acme.addA(BASE, "127.0.0.1");
    const { httpsPort } = await readIngressState();
    const roots = [readFileSync(acme.rootsFile, "utf8")];

    expect(await verifyOwnDomain(community.id)).toMatchObject({ ok: false, problem: "NOT_POINTED" });
    await reconcileIngress();
    await acme.addA(own, "127.0.0.1");
    // DNS alone is not enough: until Hearth has verified it, the ingress refuses the name.
    expect((await handshake({ domain: own, port: httpsPort ?? 0, roots })).ok).toBe(false);

    await acme.clearA(own);
    await acme.addA(own, "10.9.9.9");
    const elsewhere = await verifyOwnDomain(community.id);
    expect(elsewhere).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE" });
    if (!elsewhere.ok) expect(elsewhere.message).toContain("10.9.9.9");

    await acme.clearA(own);
    await acme.addA(own, "127.0.0.1");
    expect(await verifyOwnDomain(community.id)).toEqual({ ok: true, via: "A" });
    expect((await db.community.findUniqueOrThrow({ where: { id: community.id } })).domainVerifiedAt).not.toBeNull();
    await reconcileIngress();
    const shake = await handshake({ domain: own, port: httpsPort ?? 0, roots });
    expect(shake.ok).toBe(true);
    if (shake.ok) expect(shake.cert.subjectaltname).toBe(`DNS:${own}`);
  }, 600_000);
});
