// `npm run bench:ingress`: what the ingress costs and how it behaves under change, on the real
// engine with the test bed's Caddy image (Debian's caddy; the official image in production).
//  1. Requests/s and p50/p95 of GET /health, side by side in one run, 8 clients with keep-alive
//     (as browsers do), which keeps the machine's two cores busy:
//     - direct: plain HTTP straight to the web container's address (what the instance serves with
//       no ingress at all);
//     - ingress: HTTPS through the ingress's published port on this host's own network address
//       (not loopback). That is a visitor's path: the kernel's DNAT forwards the port to the
//       container, as for a visitor from elsewhere. TLS is part of the cost: visitors get it.
//     - ingress via 127.0.0.1, for information: loopback is not DNAT'ed, so Docker's userland
//       proxy (docker-proxy) copies every byte once more; only a browser on the Docker host itself
//       (a local `npm start`) goes that way.
//     The stand-in web answers with keep-alive, as Mastodon's puma and Misskey's Node do, so the
//     ingress reuses its upstream connections as it does in production. (The stand-ins' busybox
//     httpd closes every connection and forks per request: through it, the ingress paid a DNS
//     lookup of the container's name and a TCP connect per request that no real instance causes.
//     BENCH_UPSTREAM=busybox measures against it anyway.)
//     Each row also says the CPU time one request costs in each part (the client, the ingress
//     and web containers from their cgroups, docker-proxy from /proc): on a machine that others
//     load, latency swings with their work, CPU per request much less.
//     Then what the ingress adds to one visitor's request when nothing queues: one client at a
//     time on each side, alternating. Under the 8 clients, a request's time is mostly its wait for
//     a core (client, ingress and web share two), so that row's added milliseconds are the
//     throughput's cost again.
//  2. With 1,000 tenants routed: the time to apply one change (render the whole configuration,
//     put it into the container, load it through the engine), and the failed requests of a
//     client running during 20 consecutive applies.
// Everything it makes carries a bench label and is removed at the end.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { Agent, request as httpsRequest } from "node:https";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import Docker from "dockerode";
import { ensureImage } from "@/testbed/images/build-image";
import { buildStandIns } from "@/server/provisioning/testing/standin-images";
import { applyConfig } from "@/server/provisioning/ingress/apply-config";
import { INGRESS_ENV, putConfigFile } from "@/server/provisioning/ingress/ingress-container";
import { CONFIG_PATH, renderCaddyConfig, type IngressRoute } from "@/server/provisioning/ingress/render-config";
import { execIn } from "@/server/provisioning/container-io";

const docker = new Docker();
const run = `bench${randomBytes(3).toString("hex")}`;
const LABELS = { "hearth.bench": run };
const DOMAIN = "bench.hearth.localhost";
const TENANTS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

function route(domain: string, dial: string): IngressRoute {
  return { tenantId: domain, domain, subdomains: false, onDemand: false, target: { kind: "live", bodyLimitBytes: 99 * 1024 * 1024, upstreams: [{ dial }] } };
}

type Get = () => Promise<number>;
/** CPU milliseconds a part has used so far; null when this machine does not say. */
type CpuMeter = () => number | null;

const readOr = (read: () => number): number | null => {
  try {
    return read();
  } catch {
    return null;
  }
};
/** A container's CPU time from its cgroup (v1 cpuacct, or v2 under systemd or cgroupfs). */
function containerCpu(id: string): CpuMeter {
  const v1 = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
  const v2 = [`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, `/sys/fs/cgroup/docker/${id}/cpu.stat`];
  return () =>
    readOr(() => Number(readFileSync(v1, "utf8")) / 1e6) ??
    v2.map((path) => readOr(() => Number(/usage_usec (\d+)/.exec(readFileSync(path, "utf8"))?.[1] ?? NaN) / 1e3)).find((v) => v !== null && !Number.isNaN(v)) ??
    null;
}
/** A process's user + system CPU time from /proc (clock ticks of 10 ms). */
const processCpu = (pid: number | null): CpuMeter => () =>
  pid === null ? null : readOr(() => (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ").slice(11, 13).reduce((t, v) => t + Number(v) * 10, 0));
const clientCpu: CpuMeter = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

type Sample = { latencies: number[]; failed: number; seconds: number; cpu: Map<string, number> };
const newSample = (): Sample => ({ latencies: [], failed: 0, seconds: 0, cpu: new Map() });

/** Runs `concurrency` clients for `seconds`, adding to `into` (rounds of one side add up). */
async function load(get: Get, seconds: number, concurrency: number, meters: Record<string, CpuMeter> = {}, into = newSample()): Promise<Sample> {
  const start = Object.entries(meters).map(([part, meter]) => ({ part, meter, at: meter() }));
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const status = await get();
          if (status !== 200) into.failed++;
          else into.latencies.push(performance.now() - t);
        } catch {
          into.failed++;
        }
      }
    }),
  );
  into.seconds += seconds;
  for (const { part, meter, at } of start) {
    const now = meter();
    if (at !== null && now !== null) into.cpu.set(part, (into.cpu.get(part) ?? 0) + now - at);
  }
  return into;
}

function summary(sample: Sample) {
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  const n = Math.max(1, sorted.length + sample.failed);
  const cpu = [...sample.cpu].map(([part, ms]) => `${part} ${(ms / n).toFixed(3)}`).join(", ");
  return { rps: sorted.length / sample.seconds, p50: pct(sorted, 0.5), p95: pct(sorted, 0.95), failed: sample.failed, cpu, cpuOf: (part: string) => (sample.cpu.get(part) ?? NaN) / n };
}

/** This host's own address on its network (not loopback, not a Docker bridge): where a visitor's packets arrive. */
function hostAddress(): string | null {
  if (process.env.BENCH_HOST_ADDRESS) return process.env.BENCH_HOST_ADDRESS;
  const bridges = /^(docker|br-|veth|lo)/;
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (bridges.test(name)) continue;
    const found = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (found) return found.address;
  }
  return null;
}

function dockerProxyPid(port: number): number | null {
  try {
    const line = execFileSync("pgrep", ["-f", `docker-proxy -proto tcp -host-ip (0\\.0\\.0\\.0|127\\.0\\.0\\.1) -host-port ${port} `], { encoding: "utf8" }).trim().split("\n")[0];
    return line ? Number(line) : null;
  } catch {
    return null;
  }
}

/**
 * GET /health with keep-alive. A request that fails on a reused connection before any answer
 * (the server closed that idle connection as the request left) is sent once more on a new one,
 * as browsers do and as Node's documentation advises (request.reusedSocket); counted apart.
 */
export const retried = { count: 0 };
function getter(kind: "ingress" | "direct", port: number, host: string, ca: string): Get {
  // Browsers keep their connections open; so does each of these clients.
  const agent = kind === "ingress" ? new Agent({ keepAlive: true, maxSockets: 64, ca }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const once = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const options = { host, port, path: "/health", agent, headers: { Host: kind === "ingress" ? `${DOMAIN}:${port}` : host } };
      const req =
        kind === "ingress"
          ? httpsRequest({ ...options, servername: DOMAIN }, (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode ?? 0));
            })
          : httpRequest(options, (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode ?? 0));
            });
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
      req.on("error", (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reused: req.reusedSocket })));
      req.end();
    });
  return () =>
    once().catch((error: NodeJS.ErrnoException & { reused?: boolean }) => {
      if (!error.reused || error.code !== "ECONNRESET") throw error;
      retried.count++;
      return once();
    });
}

async function main() {
  const caddy = await ensureImage(docker, "caddy", () => {});
  const standIns = await buildStandIns(run, docker);
  const made: Docker.Container[] = [];
  const network = await docker.createNetwork({ Name: `hearth-${run}-net`, Labels: LABELS });
  try {
    const busybox = process.env.BENCH_UPSTREAM === "busybox";
    const webName = `hearth-${run}-web`;
    const web = await docker.createContainer({
      name: webName,
      ...(busybox
        ? { Image: standIns.tags.mastodon, Cmd: ["standin-serve", "web", "0.0.0.0", "3000"] }
        : // A keep-alive web answering GET /health with OK: Caddy's static_response (its admin API off).
          { Image: caddy.tag, Cmd: ["caddy", "run", "--config", "/config/web.json"], Env: ["XDG_CONFIG_HOME=/config", "XDG_DATA_HOME=/data"] }),
      Labels: LABELS,
      HostConfig: { NetworkMode: network.id },
    });
    made.push(web);
    if (!busybox) {
      const webConfig = {
        admin: { disabled: true },
        apps: { http: { servers: { web: { listen: [":3000"], automatic_https: { disable: true }, routes: [{ handle: [{ handler: "static_response", status_code: 200, body: "OK\n" }] }] } } } },
      };
      await putConfigFile(docker, webName, "/config/web.json", JSON.stringify(webConfig));
    }
    await web.start();
    const webInfo = await web.inspect();
    const webIp = Object.values(webInfo.NetworkSettings.Networks)[0]?.IPAddress ?? "";

    const address = hostAddress();
    const ingress = await docker.createContainer({
      name: `hearth-${run}-ingress`,
      Image: caddy.tag,
      Cmd: ["caddy", "run", "--config", CONFIG_PATH],
      // Hearth's ingress environment (its Go collector's setting among it).
      Env: INGRESS_ENV,
      Labels: LABELS,
      ExposedPorts: { "443/tcp": {} },
      // Published on every address, as a production ingress is (HEARTH_INGRESS_BIND 0.0.0.0), so
      // this host's own address reaches it through DNAT like a visitor's packets.
      HostConfig: { NetworkMode: network.id, PortBindings: { "443/tcp": [{ HostIp: address ? "0.0.0.0" : "127.0.0.1", HostPort: "" }] } },
    });
    made.push(ingress);
    const name = `hearth-${run}-ingress`;
    const config = (routes: IngressRoute[]) => renderCaddyConfig(routes, { kind: "internal" });
    await putConfigFile(docker, name, CONFIG_PATH, JSON.stringify(config([route(DOMAIN, `${webName}:3000`)])));
    await ingress.start();
    const ingressInfo = await ingress.inspect();
    const port = Number(ingressInfo.NetworkSettings.Ports["443/tcp"]?.[0]?.HostPort);
    let ca = "";
    for (let i = 0; i < 100 && !ca.includes("BEGIN"); i++) {
      await sleep(200);
      ca = (await execIn(docker, name, ["cat", "/data/caddy/pki/authorities/local/root.crt"], 10)).stdout;
    }
    const viaIngress = getter("ingress", port, address ?? "127.0.0.1", ca);
    const viaLoopback = getter("ingress", port, "127.0.0.1", ca);
    const direct = getter("direct", 3000, webIp, ca);
    for (const get of [viaIngress, viaLoopback, direct]) for (let i = 0; i < 200 && (await get().catch(() => 0)) !== 200; i++) await sleep(100);

    const seconds = Number(process.env.BENCH_SECONDS ?? 12);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
    const cpu = {
      client: clientCpu,
      ingress: containerCpu(ingressInfo.Id),
      web: containerCpu(webInfo.Id),
      "docker-proxy": processCpu(dockerProxyPid(port)),
    };
    const upstream = busybox ? "the stand-ins' busybox httpd (closes every connection)" : "a keep-alive stand-in web";
    console.log(`bench:ingress: ${seconds} s per side in ${rounds} alternating rounds, ${concurrency} concurrent keep-alive clients, GET /health of ${upstream}`);
    if (!address) console.log("bench:ingress: this host has no network address but loopback: the ingress row goes through docker-proxy too");
    const sides = [
      { label: "direct (http://container:3000)", get: direct, sample: newSample() },
      { label: `ingress (https via ${address ?? "127.0.0.1"}:port)`, get: viaIngress, sample: newSample() },
      { label: "ingress via 127.0.0.1 (docker-proxy)", get: viaLoopback, sample: newSample() },
    ];
    for (const side of sides) await load(side.get, 1, concurrency);
    // Alternating short rounds: load from other work on the machine falls on every side alike.
    for (let r = 0; r < rounds; r++) for (const side of sides) await load(side.get, seconds / rounds, concurrency, cpu, side.sample);
    const [d, g, l] = sides.map((side) => summary(side.sample)) as [ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>];
    const row = (label: string, r: ReturnType<typeof summary>) =>
      `${label.padEnd(40)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p95 ${r.p95.toFixed(2).padStart(6)} ms   failed ${r.failed}` +
      (r.cpu ? `   CPU ms/request: ${r.cpu}` : "");
    sides.forEach((side, i) => console.log(row(side.label, [d, g, l][i]!)));
    console.log(`ingress adds ${(g.p50 - d.p50).toFixed(2)} ms at p50 and keeps ${((100 * g.rps) / d.rps).toFixed(0)}% of the direct throughput (targets: < 1 ms, >= 75%)`);
    console.log(`through 127.0.0.1 instead (docker-proxy): adds ${(l.p50 - d.p50).toFixed(2)} ms at p50, keeps ${((100 * l.rps) / d.rps).toFixed(0)}%`);
    // What the ratio is made of: on two cores shared by all three parts, the rates follow the CPU
    // a request costs in total, and the ingress's share of it is the ingress's own cost.
    const perRequest = (r: ReturnType<typeof summary>) => ["client", "ingress", "web"].reduce((t, part) => t + (r.cpuOf(part) || 0), 0);
    if (Number.isFinite(g.cpuOf("ingress"))) {
      console.log(
        `CPU per request, all parts: direct ${perRequest(d).toFixed(3)} ms, through the ingress ${perRequest(g).toFixed(3)} ms; ` +
          `the ingress's own ${g.cpuOf("ingress").toFixed(3)} ms is about ${Math.round(1000 / g.cpuOf("ingress"))} HTTPS requests/s per core`,
      );
    }

    // One client at a time: the latency the ingress itself adds, with no queue for a core.
    const lone = [
      { label: "direct, one client", get: direct, sample: newSample() },
      { label: `ingress via ${address ?? "127.0.0.1"}, one client`, get: viaIngress, sample: newSample() },
    ];
    for (let r = 0; r < rounds; r++) for (const side of lone) await load(side.get, seconds / rounds / 2, 1, cpu, side.sample);
    const [ld, lg] = lone.map((side) => summary(side.sample)) as [ReturnType<typeof summary>, ReturnType<typeof summary>];
    lone.forEach((side, i) => console.log(row(side.label, [ld, lg][i]!)));
    console.log(`one visitor's request: the ingress adds ${(lg.p50 - ld.p50).toFixed(2)} ms at p50 and ${(lg.p95 - ld.p95).toFixed(2)} ms at p95 (target < 1 ms at p50)`);

    // 1,000 tenants routed (upstreams by container name, as Hearth renders them), plus ours.
    const others = Array.from({ length: TENANTS }, (_, i) => route(`t${i}.hearth.localhost`, `hearth-${run}-t${i}-web:3000`));
    const base = [route(DOMAIN, `${webName}:3000`), ...others];
    const first = performance.now();
    await applyConfig(docker, name, config(base));
    console.log(`first load of ${TENANTS + 1} routes: ${((performance.now() - first) / 1000).toFixed(2)} s`);

    const times: number[] = [];
    let failed = 0;
    let ok = 0;
    let stop = false;
    const reasons = new Map<string, number>();
    const client = (async () => {
      while (!stop) {
        try {
          const status = await viaIngress();
          if (status === 200) ok++;
          else {
            failed++;
            reasons.set(`HTTP ${status}`, (reasons.get(`HTTP ${status}`) ?? 0) + 1);
          }
        } catch (error) {
          failed++;
          const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
      }
    })();
    retried.count = 0;
    for (let i = 0; i < 20; i++) {
      // One tenant changes each time (its upstream moves), as a provisioning step would.
      const changed = base.map((r, j) => (j === 1 + i ? route(r.domain, `hearth-${run}-t${i}-web-new:3000`) : r));
      const t = performance.now();
      await applyConfig(docker, name, config(changed));
      times.push(performance.now() - t);
    }
    stop = true;
    await client;
    times.sort((a, b) => a - b);
    console.log(
      `apply one change with ${TENANTS} tenants routed: median ${(pct(times, 0.5) / 1000).toFixed(2)} s, max ${((times.at(-1) ?? 0) / 1000).toFixed(2)} s (target < 1 s)`,
    );
    console.log(
      `client during 20 consecutive applies: ${ok} requests succeeded, ${failed} failed (target 0)${failed ? `: ${[...reasons].map(([r, n]) => `${n} x ${r}`).join(", ")}` : ""}; ` +
        `${retried.count} sent again after their idle keep-alive connection was closed by a reload`,
    );
  } finally {
    for (const c of made) await c.remove({ force: true, v: true }).catch(() => {});
    await network.remove().catch(() => {});
    await standIns.remove();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:ingress: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
