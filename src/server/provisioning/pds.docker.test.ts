// A Bluesky PDS community provisioned on the real engine (issue 16) with the test bed's real PDS
// (upstream's @atproto/pds on Node 22, src/testbed/images/recipes/pds) and a did:plc directory on
// the real PostgreSQL image: the instance comes up healthy within the plan, hardened, and the
// organiser's account is made through the PDS's admin API with an invite: it signs in with the
// password shown once, its handle is a name under the community's domain and resolves to its
// DID, and sign-up without an invite is refused. Then the community is deleted without a trace.
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { installationId, LABEL, labelFilters } from "@/server/docker/labels";
import { ensureImages, testbedImageTag } from "@/testbed/images/build-image";
import { listLabelled, removeLabelled } from "./docker-objects";
import { objectName } from "./naming";
import { makeUser } from "@/server/testing/fixtures";
import { createPdsInviteAs } from "./pds-invites";
import { revealAdminCredentials } from "./reveal-admin-credentials";
import { setDesiredState } from "./set-desired-state";
import { stopQueue } from "./queue";
import { converge, countObjects, instanceOf, seedCommunity, tenantObjects } from "./testing/fixtures";

const run = randomBytes(4).toString("hex");
const TEST_LABELS = { "hearth.test": `pds-provisioning-${run}` };
Object.assign(process.env, {
  // The way in through the ingress is the ingress tests'; here the PDS's published port is used.
  HEARTH_INGRESS: "off",
  // atproto refuses handles under .localhost: a base domain it accepts.
  HEARTH_BASE_DOMAIN: "hearth.test",
  HEARTH_IMAGE_PDS: testbedImageTag("pds"),
  // The test's own directory (joined to the tenant's network below as "plc"), no relay, no AppView.
  HEARTH_PDS_PLC_URL: "http://plc:2582",
  HEARTH_PDS_APPVIEW_URL: "http://appview.invalid",
  HEARTH_PDS_APPVIEW_DID: "did:web:appview.invalid",
  HEARTH_PDS_CRAWLERS: "none",
  HEARTH_PDS_DISABLE_SSRF_PROTECTION: "true",
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "300",
  HEARTH_PROVISION_MAX_ATTEMPTS: "4",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "1",
});

let network: Docker.Network | undefined;
let plc: Docker.Container | undefined;

beforeAll(async () => {
  // Built once per machine (the PDS compiles better-sqlite3: many minutes); reused when present.
  const images = await ensureImages(docker(), ["postgres", "pds"], () => {});
  network = await docker().createNetwork({ Name: `hearth-test-pds-${run}`, Labels: TEST_LABELS });
  const start = async (name: string, options: Docker.ContainerCreateOptions) => {
    const container = await docker().createContainer({
      name: `hearth-test-pds-${run}-${name}`,
      Labels: TEST_LABELS,
      ...options,
      HostConfig: { NetworkMode: network!.id, ...options.HostConfig },
      NetworkingConfig: { EndpointsConfig: { [network!.id]: { Aliases: [name] } } },
    });
    await container.start();
    return container;
  };
  await start("plcdb", { Image: images.postgres.tag, Env: ["POSTGRES_USER=plc", "POSTGRES_PASSWORD=plc-pw", "POSTGRES_DB=plc"] });
  plc = await start("plc", {
    Image: images.pds.tag,
    Cmd: ["node", "plc.cjs"],
    Env: ["DATABASE_URL=postgresql://plc:plc-pw@plcdb:5432/plc", "PORT=2582"],
    HostConfig: { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 30 } }, // until its database is up
  });
}, 30 * 60_000);

afterAll(async () => {
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  const filters = { label: [`hearth.test=${TEST_LABELS["hearth.test"]}`] };
  for (const c of await docker().listContainers({ all: true, filters })) await docker().getContainer(c.Id).remove({ force: true, v: true });
  await network?.remove().catch(() => {});
  await stopQueue();
  await db.$disconnect();
}, 120_000);

/** The directory joins the tenant's network as soon as provisioning has made it (before the PDS is up). */
async function joinTenantNetwork(name: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const found = await docker().listNetworks({ filters: { name: [name] } });
    if (found.some((n) => n.Name === name)) {
      await docker().getNetwork(name).connect({ Container: plc!.id, EndpointConfig: { Aliases: ["plc"] } });
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the tenant network ${name} never appeared`);
}

async function xrpc<T>(base: string, method: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${base}/xrpc/${method}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

describe("a Bluesky PDS community on the real engine", () => {
  it("provisions the PDS to running within the plan, creates the organiser's account with an invite, and deletes without a trace", async () => {
    const { community, owner, plan } = await seedCommunity("BLUESKY_PDS", "p");
    await setDesiredState(community.id, "running");
    const tenantNetwork = objectName({ installationId: await installationId(), tenantId: community.id, slug: community.slug }, "net-tenant");
    const joined = joinTenantNetwork(tenantNetwork, Date.now() + 10 * 60_000);
    const result = await converge(community.id, 15 * 60_000);
    await joined;
    expect(result.outcome).toBe("succeeded");

    const instance = await instanceOf(community.id);
    expect(instance.phase).toBe("RUNNING");
    expect(instance.images).toEqual({ app: testbedImageTag("pds") });
    const domain = `${community.slug}.hearth.test`;
    expect(await db.community.findUniqueOrThrow({ where: { id: community.id } })).toMatchObject({ status: "LIVE", domain });

    // One container, healthy, within the plan, hardened; two volumes, two networks.
    const { containers } = await tenantObjects(community.id);
    expect(containers.map((c) => c.Labels[LABEL.component])).toEqual(["pds"]);
    const info = await docker().getContainer(containers[0]!.Id).inspect();
    expect(info.State.Health?.Status).toBe("healthy");
    expect(info.HostConfig).toMatchObject({
      Memory: plan.memoryMb * 1024 * 1024,
      NanoCpus: plan.cpuMillis * 1_000_000,
      CapDrop: ["ALL"],
      ReadonlyRootfs: true,
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
    });
    expect(await countObjects(community.id)).toEqual({ containers: 1, networks: 2, volumes: 2 });

    const base = `http://${instance.webAddress}`;
    expect((await xrpc<{ version: string }>(base, "_health")).json.version).toBe("0.5.35");
    // The organiser's account: shown once, signs in, and its handle is a name under the domain.
    const credentials = await revealAdminCredentials(community.id, owner);
    expect(credentials.username).toBe(`organiser-p-${community.slug.split("-")[1]}.${domain}`);
    const session = await xrpc<{ did: string; handle: string }>(base, "com.atproto.server.createSession", {
      identifier: credentials.username,
      password: credentials.password,
    });
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ did: expect.stringMatching(/^did:plc:/), handle: credentials.username });
    const resolved = await xrpc<{ did: string }>(base, `com.atproto.identity.resolveHandle?handle=${credentials.username}`);
    expect(resolved.json.did).toBe(session.json.did);
    // Sign-up needs an invite (the organiser's come from the dashboard).
    const refused = await xrpc<{ error: string }>(base, "com.atproto.server.createAccount", {
      email: "mallory@example.org",
      handle: `mallory.${domain}`,
      password: "pw-mallory-1",
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("InvalidInviteCode");
    // The organiser makes a code for two accounts from the dashboard's form (Hearth asks the PDS
    // with its admin password); someone outside the community cannot.
    await expect(createPdsInviteAs(await makeUser(), { community: community.slug, uses: 2 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const invite = await createPdsInviteAs(owner, { community: community.slug, uses: 2 });
    expect(invite.code).toMatch(/\S{6,}/);
    const signUp = (name: string) =>
      xrpc<{ did?: string; handle?: string; error?: string }>(base, "com.atproto.server.createAccount", {
        email: `${name}@example.org`,
        handle: `${name}.${domain}`,
        password: `pw-${name}-${run}`,
        inviteCode: invite.code,
      });
    for (const name of ["alice", "bob"]) {
      const made = await signUp(name);
      expect(made.status, JSON.stringify(made.json)).toBe(200);
      expect(made.json.handle).toBe(`${name}.${domain}`);
    }
    const third = await signUp("carol");
    expect(third.status).toBe(400);
    expect(third.json.error).toBe("InvalidInviteCode");

    // The directory leaves the tenant's network (Hearth removes only what it made), then the community goes.
    await docker().getNetwork(tenantNetwork).disconnect({ Container: plc!.id, Force: true });
    await setDesiredState(community.id, "deleted");
    await converge(community.id, 5 * 60_000);
    expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 30 * 60_000);
});
