// A Bluesky PDS community provisioned on the real engine (issue 16) with the test bed's real PDS
// (upstream's @atproto/pds on Node 22, src/testbed/images/recipes/pds), a did:plc directory on
// the real PostgreSQL image, and the way everyone reaches it: the ingress (the test bed's Caddy)
// with certificates from a real ACME CA (pebble) and names from a real DNS server
// (pebble-challtestsrv). The instance comes up healthy within the plan, hardened; the organiser's
// account is made through the PDS's admin API; a member signs up with the organiser's invite,
// posts and reads the post back at https://<domain>; their handle gets a certificate and answers
// /.well-known/atproto-did, a made-up handle gets no certificate; the organiser lists and disables
// codes and can open sign-up to anyone; a pause and a resume keep the accounts and the post; a
// restore of the export brings back the post deleted since and drops the account made since; then
// the community is deleted without a trace, and its export moves into a new community at the same
// domain: the same accounts, DIDs, post and keys (the admin password new), the directory's
// documents untouched.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { checkArchive } from "@/server/exports/check-archive";
import { acceptMoveIn } from "@/server/exports/accept-move-in";
import { exportInstance } from "@/server/exports/export-instance";
import { uploadsDir } from "@/server/exports/move-in-upload";
import { registerMoveIn } from "@/server/exports/restore-move-in";
import { restoreInstance } from "@/server/exports/restore-instance";
import { communityExportsDir } from "@/server/exports/exports-dir";
import { verifyExport } from "@/server/exports/verify-export";
import { docker } from "@/server/docker/client";
import { installationId, LABEL, labelFilters } from "@/server/docker/labels";
import { ensureImages, testbedImageTag } from "@/testbed/images/build-image";
import { listLabelled, removeLabelled } from "./docker-objects";
import { readIngressState } from "./ingress/ingress-state";
import { freePort, startAcmeTestbed, type AcmeTestbed } from "./ingress/testing/acme-testbed";
import { handshake, httpsText, type Target } from "./ingress/testing/tls-client";
import { objectName } from "./naming";
import { makeUser } from "@/server/testing/fixtures";
import { createPdsInviteAs, disablePdsInviteAs, listPdsInvitesAs, setPdsSignUpAs } from "./pds-invites";
import { revealAdminCredentials } from "./reveal-admin-credentials";
import { unsealSecrets } from "./secrets";
import { setDesiredState } from "./set-desired-state";
import { stopQueue } from "./queue";
import { converge, countObjects, instanceOf, seedCommunity, tenantObjects } from "./testing/fixtures";
import { PLC_URL, startPlcDirectory, type PlcDirectory } from "./testing/plc-directory";

const run = randomBytes(4).toString("hex");
const TEST_LABELS = { "hearth.test": `pds-provisioning-${run}` };
// atproto refuses handles under .localhost: a base domain it accepts.
const BASE = `pds-${run}.test`;
Object.assign(process.env, {
  HEARTH_BASE_DOMAIN: BASE,
  HEARTH_IMAGE_PDS: testbedImageTag("pds"),
  // The test's own directory (joined to the tenant's network below as "plc"), no relay, no AppView.
  HEARTH_PDS_PLC_URL: PLC_URL,
  HEARTH_PDS_APPVIEW_URL: "http://appview.invalid",
  HEARTH_PDS_APPVIEW_DID: "did:web:appview.invalid",
  HEARTH_PDS_CRAWLERS: "none",
  HEARTH_PDS_DISABLE_SSRF_PROTECTION: "true",
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  // Each check starts a Node process inside the PDS's CPU quota: every half second would eat most of it.
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "3",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "300",
  HEARTH_PROVISION_MAX_ATTEMPTS: "4",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "1",
});

let plc: PlcDirectory | undefined;
let acme: AcmeTestbed | undefined;

beforeAll(async () => {
  // Built once per machine (the PDS compiles better-sqlite3: many minutes); reused when present.
  // The ACME test bed first: env() is read once, on the first use of docker(), so it must be complete by then.
  const subnet = (await new Docker().getNetwork("bridge").inspect()).IPAM?.Config?.[0]?.Subnet ?? "172.17.0.0/16";
  const [a, b, c, d] = (subnet.split("/")[0] ?? "").split(".").map(Number);
  const httpPort = await freePort();
  acme = await startAcmeTestbed(`${a}.${b}.${c}.${(d ?? 0) + 1}`, httpPort);
  Object.assign(process.env, {
    HEARTH_INGRESS: "on",
    HEARTH_IMAGE_INGRESS: testbedImageTag("caddy"),
    HEARTH_ACME_DIRECTORY: acme.directory,
    HEARTH_ACME_EMAIL: "ops@example.org",
    HEARTH_ACME_CA_ROOTS: acme.rootsFile,
    HEARTH_DNS_SERVERS: acme.dnsServer,
    // Pebble validates HTTP-01 on this port of the address challtestsrv gives (127.0.0.1).
    HEARTH_INGRESS_HTTP_PORT: String(httpPort),
    HEARTH_INGRESS_HTTPS_PORT: "0",
    HEARTH_INGRESS_BIND: "127.0.0.1",
  });
  // As the worker does at start-up: a moved-in community's first provisioning puts its archive in.
  registerMoveIn();
  const images = await ensureImages(docker(), ["postgres", "pds", "caddy"], () => {});
  plc = await startPlcDirectory(docker(), { postgres: images.postgres.tag, pds: images.pds.tag }, `hearth-test-pds-${run}`, TEST_LABELS);
}, 30 * 60_000);

afterAll(async () => {
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await plc?.remove();
  await acme?.stop();
  await stopQueue();
  await db.$disconnect();
}, 120_000);

async function pdsSecretsOf(communityId: string) {
  const row = await db.instance.findUniqueOrThrow({ where: { communityId }, omit: { secretsSealed: false } });
  return unsealSecrets(row.id, row.secretsSealed!).pds;
}

/** Why the newest run failed, for the assertion's message. */
async function lastRunError(communityId: string): Promise<string> {
  const run = await db.instanceRun.findFirst({ where: { instance: { communityId } }, orderBy: { startedAt: "desc" }, select: { error: true } });
  return run?.error ?? "no error recorded";
}

type Answer<T> = { status: number; json: T };

async function xrpc<T>(target: Target, method: string, body?: unknown, bearer?: string): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const answer = await httpsText(target, { method: body === undefined ? "GET" : "POST", path: `/xrpc/${method}`, body: body === undefined ? undefined : JSON.stringify(body), headers });
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    json = { text: answer.text };
  }
  return { status: answer.status, json: json as T };
}

type Post = { uri: string; value: { text: string } };

/** The member's post, read back through the ingress with no credentials (repositories are public). */
async function readPost(target: Target, uri: string): Promise<Answer<Post>> {
  const [, did, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri) ?? [];
  return xrpc<Post>(target, `com.atproto.repo.getRecord?repo=${did}&collection=${collection}&rkey=${rkey}`);
}

describe("a Bluesky PDS community on the real engine, through the ingress", () => {
  it("goes live at https://<domain> within the plan; a member signs up with the organiser's invite, posts, and keeps both through a pause; the community then goes without a trace", async () => {
    if (!acme) throw new Error("no ACME test bed");
    const { community, owner, plan } = await seedCommunity("BLUESKY_PDS", "p");
    const domain = `${community.slug}.${BASE}`;
    await acme.addA(domain, "127.0.0.1");
    await setDesiredState(community.id, "running");
    const tenantNetwork = objectName({ installationId: await installationId(), tenantId: community.id, slug: community.slug }, "net-tenant");
    const joined = plc!.joinTenantNetwork(tenantNetwork, Date.now() + 10 * 60_000);
    const result = await converge(community.id, 15 * 60_000);
    await joined;
    expect(result.outcome, await lastRunError(community.id)).toBe("succeeded");

    const instance = await instanceOf(community.id);
    expect(instance.phase).toBe("RUNNING");
    expect(instance.images).toEqual({ app: testbedImageTag("pds") });
    expect(await db.community.findUniqueOrThrow({ where: { id: community.id } })).toMatchObject({ status: "LIVE", domain });
    const { httpsPort } = await readIngressState();
    const roots = [readFileSync(acme.rootsFile, "utf8")];
    const site: Target = { domain, port: httpsPort ?? 0, roots };
    expect(instance.webAddress).toBe(`https://${domain}:${httpsPort}`);

    // One container, healthy, within the plan, hardened; two volumes, two networks.
    const { containers } = await tenantObjects(community.id);
    expect(containers.map((c) => c.Labels[LABEL.component])).toEqual(["pds"]);
    const info = await docker().getContainer(containers[0]!.Id).inspect();
    // Its health check passes (polled: on a loaded machine one check can miss its 5 s).
    await vi.waitFor(async () => expect((await docker().getContainer(containers[0]!.Id).inspect()).State.Health?.Status).toBe("healthy"), { timeout: 120_000, interval: 1_000 });
    expect(info.HostConfig).toMatchObject({
      Memory: plan.memoryMb * 1024 * 1024,
      NanoCpus: plan.cpuMillis * 1_000_000,
      CapDrop: ["ALL"],
      ReadonlyRootfs: true,
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
    });
    expect(await countObjects(community.id)).toEqual({ containers: 1, networks: 2, volumes: 2 });

    // Reached as everyone reaches it: https://<domain> with the certificate pebble issued.
    expect((await xrpc<{ version: string }>(site, "_health")).json.version).toBe("0.5.35");
    const shake = await handshake(site);
    expect(shake.ok && String(shake.cert.issuer.CN)).toMatch(/Pebble/i);

    // The organiser's account: shown once, signs in, and its handle is a name under the domain.
    const credentials = await revealAdminCredentials(community.id, owner);
    expect(credentials.username).toBe(`organiser-p-${community.slug.split("-")[1]}.${domain}`);
    const organiser = await xrpc<{ did: string; handle: string }>(site, "com.atproto.server.createSession", {
      identifier: credentials.username,
      password: credentials.password,
    });
    expect(organiser.status).toBe(200);
    expect(organiser.json).toMatchObject({ did: expect.stringMatching(/^did:plc:/), handle: credentials.username });
    const resolved = await xrpc<{ did: string }>(site, `com.atproto.identity.resolveHandle?handle=${credentials.username}`);
    expect(resolved.json.did).toBe(organiser.json.did);
    // Sign-up needs an invite (the organiser's come from the dashboard).
    const refused = await xrpc<{ error: string }>(site, "com.atproto.server.createAccount", {
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
    const password = (name: string) => `pw-${name}-${run}`;
    const signUp = (name: string) =>
      xrpc<{ did?: string; handle?: string; accessJwt?: string; error?: string }>(site, "com.atproto.server.createAccount", {
        email: `${name}@example.org`,
        handle: `${name}.${domain}`,
        password: password(name),
        inviteCode: invite.code,
      });
    const alice = await signUp("alice");
    expect(alice.status, JSON.stringify(alice.json)).toBe(200);
    expect(alice.json.handle).toBe(`alice.${domain}`);
    expect((await signUp("bob")).status).toBe(200);
    const third = await signUp("carol");
    expect(third.status).toBe(400);
    expect(third.json.error).toBe("InvalidInviteCode");
    // The dashboard lists the codes the PDS holds; a disabled code makes no more accounts.
    const spare = await createPdsInviteAs(owner, { community: community.slug, uses: 5 });
    await disablePdsInviteAs(owner, { community: community.slug, code: spare.code });
    const listed = await listPdsInvitesAs(owner, community.slug);
    expect(listed.find((c) => c.code === invite.code)).toMatchObject({ available: 2, used: 2, disabled: false });
    expect(listed.find((c) => c.code === spare.code)).toMatchObject({ available: 5, used: 0, disabled: true });
    await expect(listPdsInvitesAs(await makeUser(), community.slug)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const withDisabled = await xrpc<{ error: string }>(site, "com.atproto.server.createAccount", {
      email: "dave@example.org",
      handle: `dave.${domain}`,
      password: password("dave"),
      inviteCode: spare.code,
    });
    expect(withDisabled.json.error).toBe("InvalidInviteCode");

    // Alice signs in and posts; anyone reads the post back at https://<domain>.
    const session = await xrpc<{ accessJwt: string; did: string }>(site, "com.atproto.server.createSession", { identifier: `alice.${domain}`, password: password("alice") });
    expect(session.status).toBe(200);
    const text = `Hello from alice, run ${run}`;
    const created = await xrpc<{ uri: string }>(
      site,
      "com.atproto.repo.createRecord",
      { repo: session.json.did, collection: "app.bsky.feed.post", record: { $type: "app.bsky.feed.post", text, createdAt: new Date().toISOString() } },
      session.json.accessJwt,
    );
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const post = await readPost(site, created.json.uri);
    expect(post.status).toBe(200);
    expect(post.json.value.text).toBe(text);

    // Her handle is a name of its own with a certificate issued on demand (the ingress asked the
    // PDS whether the handle exists), answering her DID; a made-up handle gets no certificate.
    for (const name of ["alice", "ghost"]) await acme.addA(`${name}.${domain}`, "127.0.0.1");
    const handle: Target = { ...site, domain: `alice.${domain}` };
    const did = await httpsText(handle, { path: "/.well-known/atproto-did" });
    expect(did).toEqual({ status: 200, text: session.json.did });
    const handleShake = await handshake(handle);
    expect(handleShake.ok && handleShake.cert.subjectaltname).toBe(`DNS:alice.${domain}`);
    expect(await handshake({ ...site, domain: `ghost.${domain}` })).toMatchObject({ ok: false });

    // An export copies the PDS's databases and blobs while it is stopped for a moment: the
    // archive holds its account database, checks out, and the PDS answers again afterwards.
    const exported = await exportInstance(community.id, () => {});
    const staging = mkdtempSync(join(tmpdir(), "hearth-pds-export-"));
    try {
      const checked = await checkArchive(join(communityExportsDir(community.id), exported.name), staging);
      expect(checked.manifest).toMatchObject({ software: "BLUESKY_PDS", domain });
      const listing = spawnSync("tar", ["-tf", checked.file("pds/data.tar")!], { encoding: "utf8" }).stdout.split("\n");
      expect(listing).toContain("pds/account.sqlite");
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    expect(await verifyExport(community.id, exported.name)).toMatchObject({ ok: true, summary: expect.stringMatching(/match their checksums/) });
    expect((await readPost(site, created.json.uri)).json.value.text).toBe(text);

    // The organiser opens sign-up: the server is recreated with it, and no invite is needed.
    expect(await setPdsSignUpAs(owner, { community: community.slug, signUp: "open" })).toEqual({ changed: true, restarting: true });
    expect((await converge(community.id, 10 * 60_000)).outcome, await lastRunError(community.id)).toBe("succeeded");
    const erin = await xrpc<{ handle: string }>(site, "com.atproto.server.createAccount", { email: "erin@example.org", handle: `erin.${domain}`, password: password("erin") });
    expect(erin.status, JSON.stringify(erin.json)).toBe(200);
    expect(erin.json.handle).toBe(`erin.${domain}`);

    // Paused (as when funding lapses): the ingress says so; resumed: the account and post are there.
    await setDesiredState(community.id, "stopped");
    expect((await converge(community.id, 5 * 60_000)).outcome).toBe("succeeded");
    const paused = await httpsText(site, { path: "/" });
    expect(paused.status).toBe(503);
    expect(paused.text).toContain("paused");
    await setDesiredState(community.id, "running");
    expect((await converge(community.id, 10 * 60_000)).outcome).toBe("succeeded");
    expect((await readPost(site, created.json.uri)).json.value.text).toBe(text);
    const again = await xrpc<{ did: string; accessJwt: string }>(site, "com.atproto.server.createSession", { identifier: `alice.${domain}`, password: password("alice") });
    expect(again.json.did).toBe(session.json.did);

    // Restored from the export: the post alice deleted since is back, and erin, who signed up
    // after it, is gone; alice signs in with the same DID (the volumes came back whole).
    const rkey = created.json.uri.split("/").pop()!;
    const deleted = await xrpc(site, "com.atproto.repo.deleteRecord", { repo: session.json.did, collection: "app.bsky.feed.post", rkey }, again.json.accessJwt);
    expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
    expect((await readPost(site, created.json.uri)).status).not.toBe(200);
    const steps: string[] = [];
    const restored = await restoreInstance(community.id, exported.name, (d) => void steps.push(d));
    expect(restored).toContain(`Restored ${exported.name}. The state before it is in `);
    expect(steps).toContain("Putting back the PDS's databases and blobs");
    expect((await readPost(site, created.json.uri)).json.value.text).toBe(text);
    const afterRestore = await xrpc<{ did: string }>(site, "com.atproto.server.createSession", { identifier: `alice.${domain}`, password: password("alice") });
    expect(afterRestore.json.did).toBe(session.json.did);
    const erinAfter = await xrpc<{ error: string }>(site, "com.atproto.server.createSession", { identifier: `erin.${domain}`, password: password("erin") });
    expect(erinAfter.status).toBe(401);

    // The archive is kept aside; the directory leaves the tenant's network (Hearth removes only
    // what it made), then the community goes.
    const firstSecrets = (await pdsSecretsOf(community.id))!;
    const asideDir = mkdtempSync(join(tmpdir(), "hearth-pds-move-"));
    const aside = join(asideDir, exported.name);
    copyFileSync(join(communityExportsDir(community.id), exported.name), aside);
    await plc!.leave(tenantNetwork);
    await setDesiredState(community.id, "deleted");
    await converge(community.id, 5 * 60_000);
    expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });

    // Moved into a new community, as a PDS that lived on another Hearth comes here (the first
    // community's domain is given up for it): accounts, post and identities come with the archive.
    await db.community.update({ where: { id: community.id }, data: { domain: `moved-away.${domain}` } });
    const moved = await seedCommunity("BLUESKY_PDS", "q");
    await db.community.update({ where: { id: moved.community.id }, data: { domain, moveIn: { create: {} } } });
    mkdirSync(uploadsDir(), { recursive: true });
    const upload = join(uploadsDir(), `${moved.community.id}-upload`);
    copyFileSync(aside, upload);
    const accepted = await acceptMoveIn(moved.community.id, upload, moved.owner.id);
    rmSync(asideDir, { recursive: true, force: true }); // it holds the PDS's secrets
    await setDesiredState(moved.community.id, "running");
    const movedNetwork = objectName({ installationId: await installationId(), tenantId: moved.community.id, slug: moved.community.slug }, "net-tenant");
    const movedJoined = plc!.joinTenantNetwork(movedNetwork, Date.now() + 10 * 60_000);
    const movedResult = await converge(moved.community.id, 15 * 60_000);
    await movedJoined;
    expect(movedResult.outcome, await lastRunError(moved.community.id)).toBe("succeeded");
    const movedRun = await db.instanceRun.findFirstOrThrow({ where: { instance: { communityId: moved.community.id } }, orderBy: { startedAt: "desc" }, include: { steps: true } });
    expect(movedRun.steps.find((step) => step.key === "move-in")?.detail).toContain(`Moved in from ${accepted.archive}`);
    // The rotation key and token secret are the archive's; the admin password is new.
    const movedSecrets = (await pdsSecretsOf(moved.community.id))!;
    expect(movedSecrets).toMatchObject({ jwtSecret: firstSecrets.jwtSecret, plcRotationKeyHex: firstSecrets.plcRotationKeyHex });
    expect(movedSecrets.adminPassword).not.toBe(firstSecrets.adminPassword);
    // alice signs in with the same DID, her post is read at https://<domain>, her handle still
    // names her DID, and the directory still sends her DID to this domain.
    const movedSession = await xrpc<{ did: string; accessJwt: string }>(site, "com.atproto.server.createSession", { identifier: `alice.${domain}`, password: password("alice") });
    expect(movedSession.status, JSON.stringify(movedSession.json)).toBe(200);
    expect(movedSession.json.did).toBe(session.json.did);
    expect((await readPost(site, created.json.uri)).json.value.text).toBe(text);
    expect(await httpsText(handle, { path: "/.well-known/atproto-did" })).toEqual({ status: 200, text: session.json.did });
    const document = await plc!.document(session.json.did);
    expect(document.alsoKnownAs).toEqual([`at://alice.${domain}`]);
    expect(document.service?.find((s) => s.id === "#atproto_pds")?.serviceEndpoint).toBe(`https://${domain}`);
    // Her identity can still change: the PDS signs the did:plc update with the archive's rotation
    // key, which the directory accepts only from a key the document names.
    const renamed = await xrpc(site, "com.atproto.identity.updateHandle", { handle: `alice-moved.${domain}` }, movedSession.json.accessJwt);
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect((await plc!.document(session.json.did)).alsoKnownAs).toEqual([`at://alice-moved.${domain}`]);
    // The organiser of the new community makes invites with the new admin password.
    expect((await createPdsInviteAs(moved.owner, { community: moved.community.slug, uses: 1 })).code).toMatch(/\S{6,}/);

    await plc!.leave(movedNetwork);
    await setDesiredState(moved.community.id, "deleted");
    await converge(moved.community.id, 5 * 60_000);
    expect(await countObjects(moved.community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 40 * 60_000);
});
