// `npm run bench:ingress`: what the ingress costs and how it behaves under change, on the real
// engine with the test bed's Caddy image (Debian's caddy; the official image in production).
//  1. Requests/s and p50/p95 of GET /health to a stand-in web (busybox httpd), through the
//     ingress over HTTPS (keep-alive, as browsers do) and straight to the container's address
//     over HTTP, side by side in one run.
//  2. With 1,000 tenants routed: the time to apply one change (render the whole configuration,
//     put it into the container, load it through the engine), and the failed requests of a
//     client running during 20 consecutive applies.
// Everything it makes carries a bench label and is removed at the end.
import { randomBytes } from "node:crypto";
import { Agent, request as httpsRequest } from "node:https";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import Docker from "dockerode";
import { ensureImage } from "@/testbed/images/build-image";
import { buildStandIns } from "@/server/provisioning/testing/standin-images";
import { applyConfig } from "@/server/provisioning/ingress/apply-config";
import { putConfigFile } from "@/server/provisioning/ingress/ingress-container";
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

async function load(get: Get, seconds: number, concurrency: number) {
  const latencies: number[] = [];
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const status = await get();
          if (status !== 200) failed++;
          else latencies.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: pct(latencies, 0.5), p95: pct(latencies, 0.95), failed, ok: latencies.length };
}

/**
 * GET /health with keep-alive. A request that fails on a reused connection before any answer
 * (the server closed that idle connection as the request left) is sent once more on a new one,
 * as browsers do and as Node's documentation advises (request.reusedSocket); counted apart.
 */
export const retried = { count: 0 };
function getter(kind: "ingress" | "direct", port: number, host: string, ca: string): Get {
  const agent = kind === "ingress" ? new Agent({ keepAlive: true, maxSockets: 64, ca }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const once = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const options = { host, port, path: "/health", agent, headers: { Host: kind === "ingress" ? `${DOMAIN}:${port}` : host } };
      const req =
        kind === "ingress"
          ? httpsRequest({ ...options, host: "127.0.0.1", servername: DOMAIN }, (res) => {
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
    const web = await docker.createContainer({
      name: `hearth-${run}-web`,
      Image: standIns.tags.mastodon,
      Cmd: ["standin-serve", "web", "0.0.0.0", "3000"],
      Labels: LABELS,
      HostConfig: { NetworkMode: network.id },
    });
    made.push(web);
    await web.start();
    const webIp = Object.values((await web.inspect()).NetworkSettings.Networks)[0]?.IPAddress ?? "";

    const ingress = await docker.createContainer({
      name: `hearth-${run}-ingress`,
      Image: caddy.tag,
      Cmd: ["caddy", "run", "--config", CONFIG_PATH],
      Env: ["XDG_CONFIG_HOME=/config", "XDG_DATA_HOME=/data"],
      Labels: LABELS,
      ExposedPorts: { "443/tcp": {} },
      HostConfig: { NetworkMode: network.id, PortBindings: { "443/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
    });
    made.push(ingress);
    const name = `hearth-${run}-ingress`;
    const config = (routes: IngressRoute[]) => renderCaddyConfig(routes, { kind: "internal" });
    await putConfigFile(docker, name, CONFIG_PATH, JSON.stringify(config([route(DOMAIN, `hearth-${run}-web:3000`)])));
    await ingress.start();
    const port = Number((await ingress.inspect()).NetworkSettings.Ports["443/tcp"]?.[0]?.HostPort);
    let ca = "";
    for (let i = 0; i < 100 && !ca.includes("BEGIN"); i++) {
      await sleep(200);
      ca = (await execIn(docker, name, ["cat", "/data/caddy/pki/authorities/local/root.crt"], 10)).stdout;
    }
    const viaIngress = getter("ingress", port, "127.0.0.1", ca);
    const direct = getter("direct", 3000, webIp, ca);
    for (let i = 0; i < 200 && (await viaIngress().catch(() => 0)) !== 200; i++) await sleep(100);

    const seconds = Number(process.env.BENCH_SECONDS ?? 10);
    const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
    console.log(`bench:ingress: ${seconds} s per side, ${concurrency} concurrent clients, GET /health of a stand-in web (busybox httpd)`);
    await load(direct, 1, concurrency);
    await load(viaIngress, 1, concurrency);
    const d = await load(direct, seconds, concurrency);
    const g = await load(viaIngress, seconds, concurrency);
    const row = (label: string, r: Awaited<ReturnType<typeof load>>) =>
      `${label.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p95 ${r.p95.toFixed(2).padStart(6)} ms   failed ${r.failed}`;
    console.log(row("direct (http://container:3000)", d));
    console.log(row(`ingress (https://${DOMAIN})`, g));
    console.log(`ingress adds ${(g.p50 - d.p50).toFixed(2)} ms at p50 and keeps ${((100 * g.rps) / d.rps).toFixed(0)}% of the direct throughput (targets: < 1 ms, >= 75%)`);

    // 1,000 tenants routed (upstreams by container name, as Hearth renders them), plus ours.
    const others = Array.from({ length: TENANTS }, (_, i) => route(`t${i}.hearth.localhost`, `hearth-${run}-t${i}-web:3000`));
    const base = [route(DOMAIN, `hearth-${run}-web:3000`), ...others];
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
