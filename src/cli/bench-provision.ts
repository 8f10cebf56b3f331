// `npm run bench:provision`: how long Hearth takes to bring up a Mastodon tenant from local
// (stand-in) images, from setDesiredState() until the instance is healthy and live, against the
// same containers created and started directly with dockerode. Prints both and the ratio.
// Uses its own throwaway database and images; removes everything it made.
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";
import { standInEnv } from "@/server/provisioning/testing/standin-images";

const rounds = Number(process.argv[2] ?? 5);
const run = `bench${randomBytes(3).toString("hex")}`;
const server = await startTestServer();
const databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench");
Object.assign(process.env, standInEnv(run), {
  DATABASE_URL: databaseUrl,
  HEARTH_SECRET_KEY: randomBytes(32).toString("base64"),
  // Compares the container bring-up with plain dockerode; bench:ingress measures the ingress.
  HEARTH_INGRESS: "off",
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "1",
  HEARTH_RECONCILE_INTERVAL_SECONDS: "60",
});

// Imported after the environment is set (they read it when first used).
const { db } = await import("@/server/db/client");
const { labelFilters } = await import("@/server/docker/labels");
const { buildStandIns } = await import("@/server/provisioning/testing/standin-images");
const { seedCommunity } = await import("@/server/provisioning/testing/fixtures");
const { setDesiredState } = await import("@/server/provisioning/set-desired-state");
const { startProvisioningWorker } = await import("@/server/provisioning/worker");
const { stopQueue } = await import("@/server/provisioning/queue");
const { listLabelled, removeLabelled } = await import("@/server/provisioning/docker-objects");
const { directBringUp } = await import("@/server/provisioning/bench/direct-bring-up");
const { generateSecrets } = await import("@/server/provisioning/secrets");
const { configuredImages, tenantTemplate } = await import("@/server/provisioning/templates");
const { env } = await import("@/server/config/env");
const { installationId } = await import("@/server/docker/labels");

const docker = new Docker();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function clean(tenantId?: string) {
  await removeLabelled(docker, await listLabelled(docker, await labelFilters(tenantId)));
}

async function hearthRound(i: number) {
  const { community } = await seedCommunity("MASTODON", `h${i}`);
  const started = performance.now();
  await setDesiredState(community.id, "running");
  let live = 0;
  // One light query every 25 ms: the worker runs in this process and should not wait on the bench.
  for (;;) {
    const row = await db.community.findUniqueOrThrow({
      where: { id: community.id },
      select: { status: true, instance: { select: { phase: true, lastError: true } } },
    });
    if (row.status === "LIVE" && !live) live = performance.now() - started;
    if (row.instance?.phase === "RUNNING") break;
    if (row.instance?.phase === "ERROR") throw new Error(`provisioning failed: ${row.instance.lastError}`);
    await sleep(25);
  }
  const done = performance.now() - started;
  if (process.env.BENCH_VERBOSE) {
    const runRow = await db.instanceRun.findFirstOrThrow({
      where: { instance: { communityId: community.id } },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    const t0 = Date.now() - done;
    console.log(`    queue pickup ${seconds(runRow.startedAt.getTime() - t0)}`);
    for (const step of runRow.steps) {
      console.log(`    ${step.key.padEnd(40)} +${seconds(step.startedAt.getTime() - t0)} ${seconds((step.finishedAt?.getTime() ?? 0) - step.startedAt.getTime())}`);
    }
  }
  await clean(community.id);
  return { live, done };
}

async function directRound(i: number) {
  const { community, plan } = await seedCommunity("MASTODON", `d${i}`);
  const config = env();
  const tenant = { installationId: await installationId(), tenantId: community.id, slug: community.slug };
  const template = tenantTemplate("MASTODON", {
    slug: community.slug,
    plan,
    domain: `${community.slug}.${config.HEARTH_BASE_DOMAIN}`,
    images: configuredImages("MASTODON", config),
    secrets: generateSecrets("MASTODON"),
    healthIntervalSeconds: config.HEARTH_HEALTHCHECK_INTERVAL_SECONDS,
  });
  const started = performance.now();
  const marks: string[] = [];
  await directBringUp(
    docker,
    template,
    { tenant, plan, healthIntervalSeconds: config.HEARTH_HEALTHCHECK_INTERVAL_SECONDS, publishIp: config.HEARTH_PUBLISH_IP },
    (what) => marks.push(`    direct ${what.padEnd(33)} +${seconds(performance.now() - started)}`),
  );
  if (process.env.BENCH_VERBOSE) console.log(marks.join("\n"));
  const elapsed = performance.now() - started;
  await clean(community.id);
  return elapsed;
}

const standIns = await buildStandIns(run, docker);
const worker = await startProvisioningWorker();
try {
  const hearth: { live: number; done: number }[] = [];
  const direct: number[] = [];
  console.log(`bench:provision  Mastodon tenant (db, redis, migrate, web, streaming, sidekiq), stand-in images, health interval 1 s, ${rounds} rounds`);
  // One round of each first, not counted: connections, JIT and the engine's caches warm up.
  await hearthRound(-1);
  await directRound(-1);
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always meets a warmer engine.
    if (i % 2 === 0) {
      hearth.push(await hearthRound(i));
      direct.push(await directRound(i));
    } else {
      direct.push(await directRound(i));
      hearth.push(await hearthRound(i));
    }
    const h = hearth[hearth.length - 1];
    console.log(`  round ${i + 1}: hearth ${seconds(h?.live ?? 0)} to live (${seconds(h?.done ?? 0)} with the admin account), direct ${seconds(direct[direct.length - 1] ?? 0)}`);
  }
  const hearthLive = median(hearth.map((h) => h.live));
  const hearthDone = median(hearth.map((h) => h.done));
  const directMedian = median(direct);
  // Each round's pair ran back to back under the same load, so their ratio is the fairer figure
  // on a shared machine; the ratio of the medians is printed too.
  const paired = median(hearth.map((h, i) => h.live / (direct[i] ?? NaN)));
  console.log(`hearth (setDesiredState -> healthy and live), median: ${seconds(hearthLive)}`);
  console.log(`hearth, including the organiser's admin account, median: ${seconds(hearthDone)}`);
  console.log(`direct dockerode create + start + healthy, median:      ${seconds(directMedian)}`);
  console.log(`ratio hearth/direct: ${paired.toFixed(2)}x (median of the rounds' ratios; ratio of the medians ${(hearthLive / directMedian).toFixed(2)}x; target: within 1.20x)`);
} finally {
  await worker.stop();
  await clean();
  await standIns.remove();
  await stopQueue();
  await db.$disconnect();
  await dropTestDatabase(databaseUrl).catch(() => {});
  await server.stop();
}
