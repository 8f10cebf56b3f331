// The ingress for `npm start` on a developer's machine: Caddy's internal CA at
// https://<address>.hearth.localhost:8443 (8080 for HTTP), and the test bed's Caddy image when
// HEARTH_IMAGE_INGRESS is not set (no registry needed; `npm run images:build -- caddy` makes it).
// Without an image the panel still runs; the worker reports the ingress's error in /api/health.
//
// The ingress outlives `npm start` (instances stay reachable while the panel restarts), so a
// second installation on the same machine (another clone, or a data folder made anew) finds
// 8443 and 8080 held by the first one's ingress. Where nobody chose the ports, this picks the
// next free pair and says who holds the usual one; a chosen port that is held is named at once,
// not only in a step error later.
import Docker from "dockerode";
import type { Env } from "@/server/config/env";
import { installationIdAt } from "@/server/docker/installation-setting";
import { portFree } from "./processes";

const HTTPS = 8443;
const HTTP = 8080;
const TRIES = 20;

type Holder = { name: string; installation: string | null };

/** Held by anyone but this installation's own ingress. */
const heldByOther = (holder: Holder | "program" | null, own: string | null): holder is Holder | "program" =>
  holder !== null && !(holder !== "program" && own !== null && holder.installation === own);

/** Who holds a host port: a container publishing it (named), another program, or nobody. */
async function holderOf(containers: Docker.ContainerInfo[], port: number, bind: string): Promise<Holder | "program" | null> {
  const container = containers.find((c) => c.Ports.some((p) => p.PublicPort === port && (p.IP === bind || p.IP === "0.0.0.0" || p.IP === "::" || !p.IP)));
  if (container) return { name: container.Names[0]?.replace(/^\//, "") ?? container.Id.slice(0, 12), installation: container.Labels["hearth.installation"] ?? null };
  return (await portFree(port, bind)) ? null : "program";
}

const holderText = (holder: Holder | "program") =>
  holder === "program"
    ? "another program"
    : holder.installation
      ? `${holder.name}, the ingress of another Hearth installation on this Docker engine (\`docker rm -f ${holder.name}\` frees them)`
      : `the container ${holder.name}`;

export type LocalPorts = { https: number; http: number; said?: string };

/**
 * The first pair (8443 + i, 8080 + i) that nothing holds but this installation's own ingress
 * (`own`, its installation id). `start` moves the first pair (tests).
 */
export async function localIngressPorts(docker: Docker, own: string | null, bind: string, start = { https: HTTPS, http: HTTP }): Promise<LocalPorts> {
  const containers = await docker.listContainers().catch(() => [] as Docker.ContainerInfo[]);
  // This installation's running ingress keeps the ports it has, so its addresses stay put.
  const mine = own ? containers.find((c) => c.Labels["hearth.installation"] === own && c.Labels["hearth.component"] === "ingress") : undefined;
  const published = (port: number) => mine?.Ports.find((p) => p.PrivatePort === port && p.PublicPort)?.PublicPort;
  const [https, http] = [published(443), published(80)];
  if (https && http) return { https, http };
  let first: Holder | "program" | undefined;
  for (let i = 0; i < TRIES; i++) {
    const pair = { https: start.https + i, http: start.http + i };
    let held: Holder | "program" | undefined;
    for (const port of [pair.https, pair.http]) {
      const holder = await holderOf(containers, port, bind);
      if (heldByOther(holder, own)) held ??= holder;
    }
    if (!held) {
      return i === 0
        ? pair
        : { ...pair, said: `ports ${start.https} and ${start.http} are held by ${holderText(first!)}; this installation's instances answer on ${pair.https} (HTTP ${pair.http}) instead` };
    }
    first ??= held;
  }
  return { ...start, said: `ports ${start.https}-${start.https + TRIES - 1} and ${start.http}-${start.http + TRIES - 1} are all held; set HEARTH_INGRESS_HTTPS_PORT and HEARTH_INGRESS_HTTP_PORT to free ports` };
}

export async function localIngressEnv(config: Env, env: NodeJS.ProcessEnv, say: (line: string) => void, databaseUrl: string): Promise<Record<string, string>> {
  if (config.HEARTH_INGRESS === "off") return {};
  const out: Record<string, string> = {};
  const docker = new Docker();
  const local = config.HEARTH_BASE_DOMAIN.endsWith(".localhost");
  if (local) {
    const bind = config.HEARTH_INGRESS_BIND ?? "127.0.0.1";
    const own = await installationIdAt(databaseUrl);
    if (!env.HEARTH_INGRESS_HTTPS_PORT && !env.HEARTH_INGRESS_HTTP_PORT) {
      const ports = await localIngressPorts(docker, own, bind);
      if (ports.said) say(ports.said);
      out.HEARTH_INGRESS_HTTPS_PORT = String(ports.https);
      out.HEARTH_INGRESS_HTTP_PORT = String(ports.http);
    } else {
      if (!env.HEARTH_INGRESS_HTTPS_PORT) out.HEARTH_INGRESS_HTTPS_PORT = String(HTTPS);
      if (!env.HEARTH_INGRESS_HTTP_PORT) out.HEARTH_INGRESS_HTTP_PORT = String(HTTP);
      // Chosen by the person: kept, but a port another installation holds is named now.
      const containers = await docker.listContainers().catch(() => [] as Docker.ContainerInfo[]);
      for (const port of [out.HEARTH_INGRESS_HTTPS_PORT ?? config.HEARTH_INGRESS_HTTPS_PORT, out.HEARTH_INGRESS_HTTP_PORT ?? config.HEARTH_INGRESS_HTTP_PORT].map(Number).filter((p) => p > 0)) {
        const holder = await holderOf(containers, port, bind);
        if (heldByOther(holder, own)) {
          say(`port ${port} is held by ${holderText(holder)}: instances do not go live until it is free, or another port is set`);
        }
      }
    }
  }
  if (!env.HEARTH_IMAGE_INGRESS) {
    const images = await docker.listImages({ filters: { label: ["hearth.testbed=caddy"] } }).catch(() => []);
    const newest = images.sort((a, b) => b.Created - a.Created)[0]?.RepoTags?.[0];
    if (newest) out.HEARTH_IMAGE_INGRESS = newest;
    else {
      say(
        `no ingress image: ${config.HEARTH_IMAGE_INGRESS} cannot be pulled here and the test bed's Caddy is missing ` +
          "(npm run images:build -- caddy, or set HEARTH_IMAGE_INGRESS). The panel runs; instances do not go live until it exists.",
      );
    }
  }
  if (local) {
    const port = out.HEARTH_INGRESS_HTTPS_PORT ?? env.HEARTH_INGRESS_HTTPS_PORT;
    say(`instances answer at https://<address>.${config.HEARTH_BASE_DOMAIN}:${port} (Caddy's local CA; its root is exported to ${config.HEARTH_DATA_DIR}/ingress-root.crt)`);
  }
  return out;
}
