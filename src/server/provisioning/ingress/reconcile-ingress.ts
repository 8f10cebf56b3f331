// Brings the ingress in line with the database: the container (created, repaired or recreated
// when its spec changed), on every tenant network, serving the configuration rendered from the
// current routes. Caddy's admin API is reached only through the engine (exec inside the
// container), so a remote engine works the same. Loading is atomic in Caddy: a configuration
// that fails to load leaves the previous one serving, and a reload keeps open connections.
import "server-only";
import { readFileSync } from "node:fs";
import type Docker from "dockerode";
import pg from "pg";
import { env, type Env } from "@/server/config/env";
import { docker as dockerClient } from "@/server/docker/client";
import { installationId } from "@/server/docker/labels";
import { log } from "@/server/log";
import { waitHealthy } from "@/server/provisioning/container-io";
import { ensureImage } from "@/server/provisioning/image-pull";
import { exportInternalRoot } from "./ca-root";
import { ensureIngressContainer, ingressNames, joinTenantNetworks, publishedPorts, putConfigFile } from "./ingress-container";
import { listRoutes } from "./list-routes";
import { applyConfig } from "./apply-config";
import { ACME_ROOTS_PATH, CONFIG_PATH, renderCaddyConfig } from "./render-config";
import { ingressSettings } from "./settings";
import { saveIngressState } from "./ingress-state";

export { applyConfig };

export type IngressResult = { routes: number; created: boolean; joined: number; httpsPort: number | null; httpPort: number | null };

async function withIngressLock<T>(work: () => Promise<T>): Promise<T> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: "hearth-ingress" });
  client.on("error", () => {});
  await client.connect();
  try {
    // Waits for the other applier: the one that renders last renders the newest routes.
    await client.query("SELECT pg_advisory_lock(hashtextextended('hearth.ingress', 0))");
    return await work();
  } finally {
    await client.end().catch(() => {});
  }
}

function firstFiles(config: Env, rendered: () => Promise<unknown>) {
  return async () => {
    const files: Record<string, string> = { [CONFIG_PATH]: JSON.stringify(await rendered()) };
    if (config.HEARTH_ACME_CA_ROOTS) files[ACME_ROOTS_PATH] = readFileSync(config.HEARTH_ACME_CA_ROOTS, "utf8");
    return files;
  };
}

/** One pass: container, networks, configuration. Serialised across processes by an advisory lock. */
export async function reconcileIngress(docker: Docker = dockerClient(), config: Env = env()): Promise<IngressResult> {
  const settings = ingressSettings(config);
  const installation = await installationId();
  return withIngressLock(async () => {
    try {
      await ensureImage(docker, settings.image, () => {});
      const render = async () => renderCaddyConfig(await listRoutes(installation), settings.issuer);
      const ensured = await ensureIngressContainer(docker, installation, settings, firstFiles(config, render));
      const name = ingressNames(installation).container;
      if (ensured.created || ensured.info.State.Health?.Status !== "healthy") await waitHealthy(docker, name, 120);
      const joined = await joinTenantNetworks(docker, installation, ensured.info);
      const routes = await listRoutes(installation);
      if (config.HEARTH_ACME_CA_ROOTS) await putConfigFile(docker, name, ACME_ROOTS_PATH, readFileSync(config.HEARTH_ACME_CA_ROOTS, "utf8"));
      await applyConfig(docker, name, renderCaddyConfig(routes, settings.issuer));
      const ports = publishedPorts(await docker.getContainer(name).inspect());
      if (settings.issuer.kind === "internal") await exportInternalRoot(docker, name, config).catch(() => undefined);
      await saveIngressState({ httpsPort: ports.https, httpPort: ports.http, error: null, appliedAt: new Date().toISOString() });
      if (ensured.created || joined) log.info("ingress", { created: ensured.created, joined, routes: routes.length });
      return { routes: routes.length, created: ensured.created, joined, httpsPort: ports.https, httpPort: ports.http };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await saveIngressState({ error: message }).catch(() => undefined);
      throw error;
    }
  });
}

/** For the routes' callers (a step, the sweep): the ingress is off, or this pass's outcome. */
export function ingressEnabled(config: Pick<Env, "HEARTH_INGRESS"> = env()): boolean {
  return config.HEARTH_INGRESS === "on";
}

