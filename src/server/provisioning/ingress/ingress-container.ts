// The ingress container itself: one per installation on the engine, made and repaired like a
// tenant's containers (labels, a spec hash that means "recreate" when it changes, restart
// policy, health check). Its own network gives it the way out (ACME) and the published ports;
// it then joins every tenant's app network, and is the only container on more than one.
import "server-only";
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { LABEL } from "@/server/docker/labels";
import { dockerStatus, isNotFound, StepError } from "@/server/provisioning/docker-errors";
import { ensureNetwork, ensureVolume } from "@/server/provisioning/docker-objects";
import { SPEC_LABEL } from "@/server/provisioning/naming";
import { tarball } from "@/server/provisioning/tar";
import { ADMIN_ADDRESS, CONFIG_PATH } from "./render-config";
import type { IngressSettings } from "./settings";

export const INGRESS_COMPONENT = "ingress";

export function ingressNames(installationId: string) {
  const prefix = `hearth-${installationId.replace(/-/g, "").slice(0, 8)}`;
  return { container: `${prefix}-ingress`, network: `${prefix}-net-ingress`, data: `${prefix}-ingress-data`, config: `${prefix}-ingress-config` };
}

/**
 * Caddy's environment. The Go collector's default (GOGC=100) collects each time the heap doubles;
 * a proxy's heap is mostly short-lived request buffers, so collecting at five times the live heap
 * spends less CPU per request (bench:ingress: about 10% less of the ingress's CPU per request).
 * GOMEMLIMIT makes it collect sooner whenever that would come near the container's memory limit.
 */
export const INGRESS_ENV = ["XDG_CONFIG_HOME=/config", "XDG_DATA_HOME=/data", "GOGC=400", "GOMEMLIMIT=400MiB"];
const MEMORY_LIMIT = 512 * 1024 * 1024;

const labels = (installationId: string, component: string) => ({ [LABEL.installation]: installationId, [LABEL.component]: component });

export function ingressCreateOptions(installationId: string, settings: IngressSettings): Docker.ContainerCreateOptions {
  const names = ingressNames(installationId);
  const port = (p: number) => [{ HostIp: settings.bind, HostPort: p === 0 ? "" : String(p) }];
  const options: Docker.ContainerCreateOptions = {
    name: names.container,
    Image: settings.image,
    // --resume: after a restart Caddy serves the configuration it last loaded, before Hearth is back.
    Cmd: ["caddy", "run", "--resume", "--config", CONFIG_PATH],
    Env: INGRESS_ENV,
    Labels: labels(installationId, INGRESS_COMPONENT),
    ExposedPorts: { "80/tcp": {}, "443/tcp": {} },
    StopTimeout: 30,
    Healthcheck: {
      // wget is in the official (Alpine) image and in the test bed's; the admin API answers only inside.
      Test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://${ADMIN_ADDRESS}/config/`],
      Interval: 10_000_000_000,
      Timeout: 5_000_000_000,
      Retries: 3,
      StartPeriod: 10_000_000_000,
    },
    HostConfig: {
      RestartPolicy: { Name: "unless-stopped" },
      Privileged: false,
      SecurityOpt: ["no-new-privileges"],
      CapDrop: ["ALL"],
      CapAdd: ["NET_BIND_SERVICE"],
      // Caddy writes only its certificates and state (/data) and its autosaved config (/config),
      // both volumes; the rest of its filesystem is read-only, with a small /tmp.
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,noexec,nosuid,size=16m" },
      Memory: MEMORY_LIMIT,
      PidsLimit: 512,
      PortBindings: { "80/tcp": port(settings.httpPort), "443/tcp": port(settings.httpsPort) },
      Mounts: [
        { Type: "volume", Source: names.data, Target: "/data" },
        { Type: "volume", Source: names.config, Target: "/config" },
      ],
      NetworkMode: names.network,
      LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
    },
  };
  const hash = createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 32);
  options.Labels = { ...options.Labels, [SPEC_LABEL]: hash };
  return options;
}

async function inspectOrNull(docker: Docker, name: string) {
  try {
    return await docker.getContainer(name).inspect();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Writes a file into the container (before its first start too): putArchive into /config. */
export async function putConfigFile(docker: Docker, name: string, path: string, content: string): Promise<void> {
  const relative = path.replace(/^\/config\//, "");
  const parts = relative.split("/");
  const dirs = parts.slice(0, -1).map((_, i) => ({ type: "dir" as const, name: `${parts.slice(0, i + 1).join("/")}/`, mode: 0o755 }));
  await docker.getContainer(name).putArchive(
    await tarball([...dirs, { type: "file", name: relative, mode: 0o644, content: Buffer.from(content, "utf8") }]),
    { path: "/config" },
  );
}

export type EnsuredIngress = { created: boolean; info: Docker.ContainerInspectInfo };

/**
 * The container exists with this spec and runs; `firstConfig` is written before a new one
 * starts, so it serves the current routes from its first second.
 */
export async function ensureIngressContainer(
  docker: Docker,
  installationId: string,
  settings: IngressSettings,
  firstConfig: () => Promise<Record<string, string>>,
): Promise<EnsuredIngress> {
  const names = ingressNames(installationId);
  await ensureNetwork(docker, names.network, { internal: false, labels: labels(installationId, "net-ingress") });
  await Promise.all([
    ensureVolume(docker, names.data, labels(installationId, "vol-ingress-data")),
    ensureVolume(docker, names.config, labels(installationId, "vol-ingress-config")),
  ]);
  const options = ingressCreateOptions(installationId, settings);
  let info = await inspectOrNull(docker, names.container);
  if (info && info.Config.Labels?.[LABEL.installation] !== installationId) {
    throw new StepError(`A container named ${names.container} exists and was not made by this Hearth installation.`);
  }
  let created = false;
  if (info && info.Config.Labels?.[SPEC_LABEL] !== options.Labels?.[SPEC_LABEL]) {
    await docker.getContainer(names.container).remove({ force: true });
    info = null;
  }
  if (!info) {
    try {
      await docker.createContainer(options);
    } catch (error) {
      if (dockerStatus(error) === 404) {
        throw new StepError(`The ingress image ${settings.image} is not on the Docker host. Pull it, or build the test bed's with npm run images:build.`);
      }
      if (dockerStatus(error) !== 409) throw error;
    }
    for (const [path, content] of Object.entries(await firstConfig())) await putConfigFile(docker, names.container, path, content);
    created = true;
  }
  const container = docker.getContainer(names.container);
  info = await container.inspect();
  if (!info.State.Running) {
    try {
      await container.start();
    } catch (error) {
      if (dockerStatus(error) !== 304) throw describePortError(error, settings);
    }
    info = await container.inspect();
  }
  return { created, info };
}

function describePortError(error: unknown, settings: IngressSettings): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/port is already allocated|address already in use/i.test(message)) {
    return new StepError(
      `The ingress cannot publish ports ${settings.httpPort} and ${settings.httpsPort} on ${settings.bind}: another program uses them. ` +
        "Set HEARTH_INGRESS_HTTP_PORT and HEARTH_INGRESS_HTTPS_PORT to free ports.",
    );
  }
  return error instanceof Error ? error : new Error(message);
}

/** Joins every tenant network of this installation the ingress is not on yet. */
export async function joinTenantNetworks(docker: Docker, installationId: string, info: Docker.ContainerInspectInfo): Promise<number> {
  const networks = await docker.listNetworks({
    filters: { label: [`${LABEL.installation}=${installationId}`, `${LABEL.component}=net-tenant`] },
  });
  let joined = 0;
  for (const network of networks) {
    if (info.NetworkSettings.Networks[network.Name]) continue;
    try {
      await docker.getNetwork(network.Id).connect({ Container: info.Id });
      joined++;
    } catch (error) {
      // Already connected (a concurrent pass) or removed meanwhile: both fine.
      if (!isNotFound(error) && !/already exists|endpoint with name/i.test(String((error as Error).message))) throw error;
    }
  }
  return joined;
}

/** The host ports Docker gave the ingress (the configured ones, or the free ones it chose). */
export function publishedPorts(info: Docker.ContainerInspectInfo): { http: number | null; https: number | null } {
  const read = (port: string) => {
    const value = info.NetworkSettings.Ports?.[port]?.[0]?.HostPort;
    return value ? Number(value) : null;
  };
  return { http: read("80/tcp"), https: read("443/tcp") };
}
