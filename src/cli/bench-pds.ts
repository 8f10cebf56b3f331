// `npm run bench:pds`: a Bluesky PDS tenant on the test bed's real PDS (@atproto/pds on Node 22),
// provisioned by Hearth as for a funded community, with a did:plc directory of its own. Prints the
// time from setDesiredState("running") to live and to the organiser's account; the PDS's memory
// and CPU while idle; the same and its volumes' disk use after members sign up and post; and, per
// default plan, the share of the plan an idle PDS takes and the cost per member at a few community
// sizes. Uses its own throwaway database; removes everything it made.
//   npm run bench:pds -- [members=20] [postsEach=5] [idleSeconds=60]
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const arg = (i: number, fallback: number) => Number(process.argv[2 + i] ?? fallback);
const [members, postsEach, idleSeconds] = [arg(0, 20), arg(1, 5), arg(2, 60)];
const run = `bench${randomBytes(3).toString("hex")}`;
const LABELS = { "hearth.test": `bench-pds-${run}` };
const server = await startTestServer();
const databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench");
// The PDS's published port is reached directly (no ingress: bench:ingress measures that).
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  HEARTH_SECRET_KEY: randomBytes(32).toString("base64"),
  HEARTH_INGRESS: "off",
  // atproto refuses handles under .localhost.
  HEARTH_BASE_DOMAIN: `${run}.test`,
  HEARTH_PDS_APPVIEW_URL: "http://appview.invalid",
  HEARTH_PDS_APPVIEW_DID: "did:web:appview.invalid",
  HEARTH_PDS_CRAWLERS: "none",
  HEARTH_PDS_DISABLE_SSRF_PROTECTION: "true",
  // The health check keeps the host's default interval (10 s): each check starts a Node process in
  // the container, which counts in the idle CPU as it does in production.
  HEARTH_HEALTH_TIMEOUT_SECONDS: "300",
});

const { testbedImageTag, ensureImages } = await import("@/testbed/images/build-image");
const { PLC_URL, startPlcDirectory } = await import("@/server/provisioning/testing/plc-directory");
Object.assign(process.env, { HEARTH_IMAGE_PDS: testbedImageTag("pds"), HEARTH_PDS_PLC_URL: PLC_URL });
// Imported after the environment is set (they read it when first used).
const { db } = await import("@/server/db/client");
const { docker: hearthDocker } = await import("@/server/docker/client");
const { env } = await import("@/server/config/env");
const { installationId, labelFilters } = await import("@/server/docker/labels");
const { listLabelled, removeLabelled } = await import("@/server/provisioning/docker-objects");
const { seedCommunity, tenantObjects } = await import("@/server/provisioning/testing/fixtures");
const { objectName } = await import("@/server/provisioning/naming");
const { setDesiredState } = await import("@/server/provisioning/set-desired-state");
const { startProvisioningWorker } = await import("@/server/provisioning/worker");
const { stopQueue } = await import("@/server/provisioning/queue");
const { loadInstance, planContext } = await import("@/server/provisioning/run-plan-context");
const { pdsXrpc } = await import("@/server/provisioning/pds-api");
const { defaultPlans } = await import("@/server/plans/default-plans");
const { formatBytes, formatMoney } = await import("@/lib/format");

const docker = new Docker();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type Sample = { at: number; cpuNs: number; memory: number };

/** Memory as `docker stats` counts it (usage less the reclaimable file cache) and the CPU time used so far. */
async function sample(id: string): Promise<Sample> {
  const stats = (await docker.getContainer(id).stats({ stream: false })) as Docker.ContainerStats;
  const cache = stats.memory_stats.stats?.inactive_file ?? 0;
  return { at: performance.now(), cpuNs: stats.cpu_stats.cpu_usage.total_usage, memory: stats.memory_stats.usage - cache };
}

/** Average memory and CPU (in cores) over `ms`, sampled every 5 s. */
async function idle(id: string, ms: number): Promise<{ memory: number; cores: number }> {
  const samples = [await sample(id)];
  while (performance.now() - samples[0]!.at < ms) {
    await sleep(5_000);
    samples.push(await sample(id));
  }
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const memory = samples.reduce((sum, s) => sum + s.memory, 0) / samples.length;
  return { memory, cores: (last.cpuNs - first.cpuNs) / 1e6 / (last.at - first.at) };
}

async function volumeBytes(id: string): Promise<number> {
  const exec = await docker.getContainer(id).exec({ Cmd: ["du", "-sb", "/pds", "/blobs"], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  await new Promise((resolve) => stream.on("end", resolve));
  // Multiplexed output: each frame has an 8-byte header; du's lines are short.
  const text = Buffer.concat(chunks).toString("latin1");
  return [...text.matchAll(/(\d+)\s+\/(pds|blobs)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const images = await ensureImages(docker, ["postgres", "pds"], (line) => console.log(`  ${line}`));
const plc = await startPlcDirectory(docker, { postgres: images.postgres.tag, pds: images.pds.tag }, `hearth-bench-pds-${run}`, LABELS);
const worker = await startProvisioningWorker();
try {
  console.log(`bench:pds  Bluesky PDS (${images.pds.tag}), Hearth's provisioning, no ingress; ${members} members posting ${postsEach} times each; idle windows of ${idleSeconds} s`);
  const { community } = await seedCommunity("BLUESKY_PDS", "bench");
  const tenantNetwork = objectName({ installationId: await installationId(), tenantId: community.id, slug: community.slug }, "net-tenant");
  const started = performance.now();
  const joined = plc.joinTenantNetwork(tenantNetwork, Date.now() + 10 * 60_000);
  await setDesiredState(community.id, "running");
  let live = 0;
  for (;;) {
    const row = await db.community.findUniqueOrThrow({ where: { id: community.id }, select: { status: true, instance: { select: { phase: true, lastError: true } } } });
    if (row.status === "LIVE" && !live) live = performance.now() - started;
    if (row.instance?.phase === "RUNNING") break;
    if (row.instance?.phase === "ERROR") throw new Error(`provisioning failed: ${row.instance.lastError}`);
    await sleep(250);
  }
  const done = performance.now() - started;
  await joined;
  console.log(`time from setDesiredState to live: ${seconds(live)}; with the organiser's account: ${seconds(done)}`);

  const pdsId = (await tenantObjects(community.id)).containers[0]!.Id;
  await sleep(15_000); // past the first start's migrations and the admin account
  const quiet = await idle(pdsId, idleSeconds * 1000);
  const emptyDisk = await volumeBytes(pdsId);
  console.log(`idle, no members: memory ${formatBytes(quiet.memory)}, CPU ${(quiet.cores * 100).toFixed(2)}% of a core, volumes ${formatBytes(emptyDisk)}`);

  const row = await db.instance.findUniqueOrThrow({ where: { communityId: community.id }, select: { id: true } });
  const ctx = await planContext(hearthDocker(), env(), (await loadInstance(row.id))!);
  const { code } = await pdsXrpc<{ code: string }>(ctx, "com.atproto.server.createInviteCode", { body: { useCount: members }, auth: "admin" });
  const domain = `${community.slug}.${env().HEARTH_BASE_DOMAIN}`;
  const signUpStarted = performance.now();
  for (let i = 0; i < members; i++) {
    const account = await pdsXrpc<{ did: string; accessJwt: string }>(ctx, "com.atproto.server.createAccount", {
      body: { email: `m${i}@example.org`, handle: `member-${i}.${domain}`, password: `pw-${run}-${i}`, inviteCode: code },
    });
    for (let p = 0; p < postsEach; p++) {
      await pdsXrpc(ctx, "com.atproto.repo.createRecord", {
        body: { repo: account.did, collection: "app.bsky.feed.post", record: { $type: "app.bsky.feed.post", text: `post ${p} of member ${i}`, createdAt: new Date().toISOString() } },
        auth: { bearer: account.accessJwt },
      });
    }
  }
  const signUps = performance.now() - signUpStarted;
  console.log(`${members} sign-ups with ${postsEach} posts each: ${seconds(signUps)} (${(signUps / members / 1000).toFixed(2)} s per member)`);
  const busy = await idle(pdsId, idleSeconds * 1000);
  const fullDisk = await volumeBytes(pdsId);
  console.log(`idle, ${members} members: memory ${formatBytes(busy.memory)}, CPU ${(busy.cores * 100).toFixed(2)}% of a core, volumes ${formatBytes(fullDisk)} (${formatBytes((fullDisk - emptyDisk) / members)} per member)`);
  const perMember = (busy.memory - quiet.memory) / members;
  console.log(`memory per member (difference of the two idle windows): ${(perMember / 1024 / 1024).toFixed(2)} MiB`);

  console.log("per default plan: an idle PDS's share of the plan, the members its memory holds at that rate, and the monthly cost per member");
  for (const p of defaultPlans) {
    const bytes = p.memoryMb * 1024 * 1024;
    const fits = perMember > 0 ? Math.floor((bytes - quiet.memory) / perMember) : Infinity;
    const sizes = [25, 100, 500].map((n) => `${n} members ${formatMoney(p.monthlyCost / n, "eur")}`).join(", ");
    console.log(
      `  ${p.name.padEnd(7)} ${formatMoney(p.monthlyCost, "eur")}/month: idle memory ${((quiet.memory / bytes) * 100).toFixed(1)}% of ${p.memoryMb} MB, ` +
        `idle CPU ${((quiet.cores * 1000 * 100) / p.cpuMillis).toFixed(2)}% of ${p.cpuMillis / 1000} cores; ` +
        `about ${fits} members fit (${formatMoney(p.monthlyCost / fits, "eur")} each when full); ${sizes}`,
    );
  }
  await plc.leave(tenantNetwork);
} finally {
  await worker.stop();
  await removeLabelled(docker, await listLabelled(docker, await labelFilters())).catch(() => {});
  await plc.remove();
  await stopQueue();
  await db.$disconnect();
  await dropTestDatabase(databaseUrl).catch(() => {});
  await server.stop();
}
