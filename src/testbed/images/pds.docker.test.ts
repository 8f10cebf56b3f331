// The test bed's Bluesky PDS is the real thing: upstream's @atproto/pds on Node 22, registering
// DIDs with a did:plc directory (@did-plc/server) on the real PostgreSQL image. An invite from the
// admin API, an account under the PDS's domain, a post written and read back, the handle resolved
// through /.well-known/atproto-did, and a clean stop (exit 0, not better-sqlite3's SIGABRT) after
// which the account and the post are still there.
import { randomBytes } from "node:crypto";
import http from "node:http";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImages, type BuiltImage } from "./build-image";

const docker = new Docker();
const run = randomBytes(4).toString("hex");
const LABEL = `pds-${run}`;
const LABELS = { "hearth.test": LABEL };
const ADMIN_PASSWORD = randomBytes(16).toString("hex");
let images: Record<"postgres" | "pds", BuiltImage>;
let network: Docker.Network;

beforeAll(async () => {
  images = await ensureImages(docker, ["postgres", "pds"], () => {});
  network = await docker.createNetwork({ Name: `hearth-test-${LABEL}`, Labels: LABELS });
}, 30 * 60_000);

afterAll(async () => {
  const filters = { label: [`hearth.test=${LABEL}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
  await network?.remove().catch(() => {});
}, 60_000);

async function start(name: string, options: Docker.ContainerCreateOptions) {
  const container = await docker.createContainer({
    name: `hearth-test-${LABEL}-${name}`,
    Labels: LABELS,
    ...options,
    HostConfig: { NetworkMode: network.id, ...options.HostConfig },
    NetworkingConfig: { EndpointsConfig: { [network.id]: { Aliases: [name] } } },
  });
  await container.start();
  return container;
}

async function publishedUrl(container: Docker.Container, port: number): Promise<string> {
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports[`${port}/tcp`]?.[0];
  if (!binding) throw new Error(`port ${port} is not published`);
  return `http://127.0.0.1:${binding.HostPort}`;
}

function pdsEnv(): string[] {
  return [
    "PDS_HOSTNAME=pds.test",
    "PDS_SERVICE_HANDLE_DOMAINS=.pds.test",
    `PDS_JWT_SECRET=${randomBytes(16).toString("hex")}`,
    `PDS_ADMIN_PASSWORD=${ADMIN_PASSWORD}`,
    `PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=${randomBytes(32).toString("hex")}`,
    "PDS_DATA_DIRECTORY=/pds",
    "PDS_BLOBSTORE_DISK_LOCATION=/pds/blocks",
    "PDS_DID_PLC_URL=http://plc:2582",
    "PDS_INVITE_REQUIRED=true",
    // The directory is plain http on a private address: allowed in tests only.
    "PDS_DISABLE_SSRF_PROTECTION=true",
    "PDS_BSKY_APP_VIEW_URL=http://appview.invalid",
    "PDS_BSKY_APP_VIEW_DID=did:web:appview.invalid",
    "PDS_CRAWLERS=",
  ];
}

/** fetch() cannot set Host; node:http can, as a proxy in front of the PDS would. */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      })
      .on("error", reject);
  });
}

async function xrpc<T>(base: string, method: string, body?: unknown, auth?: string): Promise<T> {
  const response = await fetch(`${base}/xrpc/${method}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

describe("Bluesky PDS image", () => {
  it("creates an account with an invite, posts, resolves the handle, and keeps both across a clean restart", async () => {
    await start("plcdb", { Image: images.postgres.tag, Env: ["POSTGRES_USER=plc", "POSTGRES_PASSWORD=plc-pw", "POSTGRES_DB=plc"] });
    await start("plc", {
      Image: images.pds.tag,
      Cmd: ["node", "plc.cjs"],
      Env: ["DATABASE_URL=postgresql://plc:plc-pw@plcdb:5432/plc", "PORT=2582"],
      HostConfig: { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 30 } }, // until its database is up
    });
    const volume = `hearth-test-${LABEL}-data`;
    await docker.createVolume({ Name: volume, Labels: LABELS });
    const pdsOptions: Docker.ContainerCreateOptions = {
      Image: images.pds.tag,
      Env: pdsEnv(),
      ExposedPorts: { "3000/tcp": {} },
      HostConfig: { Binds: [`${volume}:/pds`], PortBindings: { "3000/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
    };
    let pds = await start("pds", pdsOptions);
    let base = await publishedUrl(pds, 3000);
    await expect.poll(async () => (await fetch(`${base}/xrpc/_health`).then((r) => r.json()).catch(() => ({}))) as object, { timeout: 120_000, interval: 500 })
      .toEqual({ version: "0.5.35" });

    const admin = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
    await expect(xrpc(base, "com.atproto.server.createAccount", { email: "a@example.org", handle: "alice.pds.test", password: "pw-alice-1" }))
      .rejects.toThrow(/InvalidInviteCode|invite/i);
    const { code } = await xrpc<{ code: string }>(base, "com.atproto.server.createInviteCode", { useCount: 1 }, admin);
    // The directory may still be migrating when the first DID is registered: retry until it answers.
    let account: { did: string; accessJwt: string } | undefined;
    await expect
      .poll(async () => {
        account ??= await xrpc<{ did: string; accessJwt: string }>(base, "com.atproto.server.createAccount", {
          email: "alice@example.org",
          handle: "alice.pds.test",
          password: "pw-alice-1",
          inviteCode: code,
        }).catch(() => undefined);
        return account?.did;
      }, { timeout: 120_000, interval: 1_000 })
      .toMatch(/^did:plc:/);
    const did = account!.did;
    const post = await xrpc<{ uri: string }>(
      base,
      "com.atproto.repo.createRecord",
      { repo: did, collection: "app.bsky.feed.post", record: { $type: "app.bsky.feed.post", text: "hello from the test bed", createdAt: new Date().toISOString() } },
      `Bearer ${account!.accessJwt}`,
    );
    const rkey = post.uri.split("/").pop()!;
    const read = () => xrpc<{ value: { text: string } }>(base, `com.atproto.repo.getRecord?repo=${did}&collection=app.bsky.feed.post&rkey=${rkey}`);
    expect((await read()).value.text).toBe("hello from the test bed");
    expect(await getWithHost(`${base}/.well-known/atproto-did`, "alice.pds.test")).toBe(did);

    // A clean stop: exit 0 within the stop timeout (Node 24's better-sqlite3 aborted here).
    await pds.stop({ t: 20 });
    expect((await pds.inspect()).State.ExitCode).toBe(0);
    await pds.remove();
    pds = await start("pds", pdsOptions);
    base = await publishedUrl(pds, 3000);
    await expect.poll(async () => (await fetch(`${base}/xrpc/_health`).then((r) => r.ok).catch(() => false)), { timeout: 120_000 }).toBe(true);
    expect((await read()).value.text).toBe("hello from the test bed");
    const session = await xrpc<{ did: string }>(base, "com.atproto.server.createSession", { identifier: "alice.pds.test", password: "pw-alice-1" });
    expect(session.did).toBe(did);
  }, 10 * 60_000);
});
