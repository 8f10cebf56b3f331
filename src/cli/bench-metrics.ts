// `npm run bench:metrics [-- --containers N]`: starts N tiny labelled containers (default
// 100, four per tenant), then times one Hearth collection sweep against
// `docker stats --no-stream` over the same containers, with dockerd's CPU time during each.
// Uses DATABASE_URL when set, else a throwaway embedded PostgreSQL. Everything it creates
// is removed at the end, also on Ctrl-C.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { mapLimit } from "@/lib/map-limit";
import { createTestDatabase, dropTestDatabase, startTestServer, type TestServer } from "./test-database";

const { values } = parseArgs({
  options: {
    containers: { type: "string", default: process.env.BENCH_CONTAINERS ?? "100" },
    rounds: { type: "string", default: "3" },
  },
});
const count = Number(values.containers);
const rounds = Number(values.rounds);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 1) {
  console.error("usage: npm run bench:metrics -- [--containers N] [--rounds R]");
  process.exit(2);
}

const COMPONENTS = ["web", "streaming", "sidekiq", "db"];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** dockerd's user+system CPU time in ms, when it runs on this machine. */
function dockerdPid(): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "dockerd") return Number(entry);
    } catch {
      // a process that just ended
    }
  }
  return null;
}
const pid = dockerdPid();
function dockerdCpuMs(): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100
}

async function measure(work: () => Promise<unknown> | unknown): Promise<{ ms: number; cpuMs: number }> {
  // Let dockerd's stats collector go idle so each run starts from the same place.
  await new Promise((r) => setTimeout(r, 1500));
  const cpu = dockerdCpuMs();
  const start = performance.now();
  await work();
  return { ms: performance.now() - start, cpuMs: dockerdCpuMs() - cpu };
}

let server: TestServer | undefined;
// Set on Ctrl-C: no new containers are created, and cleanup waits for those in flight.
let aborted = false;
let creating = 0;
let databaseUrl: string | undefined;
let cleanup: (() => Promise<void>) | undefined;
let cleaning: Promise<void> | undefined;
const finish = () =>
  (cleaning ??= (async () => {
    for (let waited = 0; creating > 0 && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await cleanup?.().catch((e: unknown) => console.error("cleanup:", e));
    const { db } = await import("@/server/db/client");
    await db.$disconnect().catch(() => {});
    if (databaseUrl) await dropTestDatabase(databaseUrl).catch(() => {});
    await server?.stop().catch(() => {});
  })());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (aborted) return; // npm and tsx both pass the signal on
    aborted = true;
    console.error(`\n${signal}: removing the bench's containers...`);
    void finish().then(() => process.exit(130));
  });
}

async function main() {
  if (!process.env.DATABASE_URL) {
    server = await startTestServer();
    databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench");
    process.env.DATABASE_URL = databaseUrl;
  }
  // Imported only now: they read DATABASE_URL on first use.
  const { createFixtures } = await import("@/server/metrics/test-fixtures");
  const { collectOnce, newCollectorState } = await import("@/server/metrics/collect-once");
  const { docker } = await import("@/server/docker/client");
  const fx = createFixtures("hearth-metrics-bench");
  cleanup = fx.cleanup;

  const version = await docker().version();
  console.log(`engine ${version.Version}, dockerd pid ${pid ?? "not on this machine"}`);
  await fx.ensureImage();
  const network = await fx.network();
  const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 2048 });
  const tenants = await mapLimit(Array.from({ length: Math.ceil(count / COMPONENTS.length) }), 8, () => fx.community(plan.id));
  const started = performance.now();
  const ids = await mapLimit(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    if (aborted) return "";
    creating++;
    try {
      const tenant = tenants[Math.floor(i / COMPONENTS.length)]!.id;
      const container = await fx.container(tenant, COMPONENTS[i % COMPONENTS.length]!, "sleep 86400", {
        HostConfig: { NetworkMode: network },
      });
      return container.id;
    } finally {
      creating--;
    }
  });
  if (aborted) return new Promise<never>(() => {}); // the signal handler finishes and exits
  console.log(`started ${count} containers for ${tenants.length} tenants in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  const rows: { name: string; ms: number; cpuMs: number; detail?: string }[] = [];
  for (const source of ["auto", "api"] as const) {
    const state = newCollectorState();
    await collectOnce({ state, config: { source } }); // the previous reading rates need
    const runs: { ms: number; cpuMs: number; detail: string }[] = [];
    for (let r = 0; r < rounds; r++) {
      let detail = "";
      const m = await measure(async () => {
        const s = await collectOnce({ state, config: { source } });
        if (s.samples !== tenants.length) throw new Error(`sweep sampled ${s.samples} of ${tenants.length} tenants`);
        detail = `list ${s.listMs.toFixed(0)} ms, read ${s.readMs.toFixed(0)} ms (${s.viaCgroup} cgroup, ${s.viaApi} API), evaluate+write ${s.writeMs.toFixed(0)} ms`;
      });
      runs.push({ ...m, detail });
    }
    const mid = runs.find((r) => r.ms === median(runs.map((x) => x.ms)))!;
    rows.push({ name: `Hearth sweep, source=${source}`, ms: mid.ms, cpuMs: median(runs.map((r) => r.cpuMs)), detail: mid.detail });
  }
  const cli: { ms: number; cpuMs: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    cli.push(
      await measure(() => {
        const out = spawnSync("docker", ["stats", "--no-stream", "--format", "{{.ID}} {{.CPUPerc}}", ...ids], { encoding: "utf8" });
        if (out.status !== 0) throw new Error(`docker stats failed: ${out.stderr}`);
        const lines = out.stdout.trim().split("\n").length;
        if (lines !== count) throw new Error(`docker stats listed ${lines} of ${count} containers`);
      }),
    );
  }
  rows.push({ name: "docker stats --no-stream", ms: median(cli.map((c) => c.ms)), cpuMs: median(cli.map((c) => c.cpuMs)) });

  console.log(`${count} containers, median of ${rounds} runs each (the Hearth sweep includes writing to PostgreSQL):`);
  console.log(`${"".padEnd(28)}${"time".padStart(10)}${"dockerd CPU".padStart(14)}`);
  for (const row of rows) {
    console.log(`${row.name.padEnd(28)}${`${row.ms.toFixed(0)} ms`.padStart(10)}${`${row.cpuMs.toFixed(0)} ms`.padStart(14)}`);
    if (row.detail) console.log(`${"".padEnd(30)}${row.detail}`);
  }
  const cliMs = rows.at(-1)!.ms;
  console.log(
    `\nratio (docker stats / Hearth): ${(cliMs / rows[0]!.ms).toFixed(1)}x with source=auto, ${(cliMs / rows[1]!.ms).toFixed(1)}x with source=api (target >= 10x)`,
  );
}

main()
  .then(() => finish())
  .catch(async (error: unknown) => {
    if (aborted) return; // the signal handler is cleaning up; whatever broke was ours
    console.error(error);
    await finish();
    process.exit(1);
  });
