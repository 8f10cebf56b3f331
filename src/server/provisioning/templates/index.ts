// The template of each supported software, and the images a new instance is pinned to.
import type { Software } from "@/generated/prisma/client";
import { mastodonTemplate } from "./mastodon";
import type { Env } from "@/server/config/env";
import { misskeyFamilyTemplate } from "./misskey";
import { pdsTemplate } from "./pds";
import { generateSecrets } from "../secrets";
import type { PdsNetworkSettings, TemplateInput, TenantTemplate } from "./types";

export type { ComponentSpec, InstanceImages, InstanceMailSettings, PdsNetworkSettings, TemplateInput, TenantTemplate } from "./types";
export { configuredImages } from "@/server/config/images";
export { pdsDomainProblem } from "./pds";

/** The network settings a PDS gets, from the environment. */
export function pdsNetworkSettings(config: Env): PdsNetworkSettings {
  return {
    plcUrl: config.HEARTH_PDS_PLC_URL,
    appViewUrl: config.HEARTH_PDS_APPVIEW_URL,
    appViewDid: config.HEARTH_PDS_APPVIEW_DID,
    reportServiceUrl: config.HEARTH_PDS_REPORT_SERVICE_URL,
    reportServiceDid: config.HEARTH_PDS_REPORT_SERVICE_DID,
    crawlers: config.HEARTH_PDS_CRAWLERS,
    disableSsrfProtection: config.HEARTH_PDS_DISABLE_SSRF_PROTECTION,
  };
}

export function tenantTemplate(software: Software, input: TemplateInput): TenantTemplate {
  switch (software) {
    case "MASTODON":
      return mastodonTemplate(input);
    case "MISSKEY":
      return misskeyFamilyTemplate(input, "/misskey");
    case "SHARKEY":
      return misskeyFamilyTemplate(input, "/sharkey");
    case "BLUESKY_PDS":
      return pdsTemplate(input);
  }
}

/**
 * The folder an export's media.tar holds (the media volume's folder, as Docker's archive of it
 * names it: Mastodon's "system", the Misskey family's "files"), for checking an archive before
 * any instance exists. Null for a Bluesky PDS, whose archive holds its volumes as pds/*.tar.
 */
export function mediaFolder(software: Software): string | null {
  if (software === "BLUESKY_PDS") return null;
  const images = { app: "app", db: "db", redis: "redis", streaming: "streaming" };
  const template = tenantTemplate(software, { slug: "x", plan: { memoryMb: 1024, cpuMillis: 1000 }, domain: "example.org", images, secrets: generateSecrets(software), healthIntervalSeconds: 10 });
  const data = ["db", "redis"];
  const mount = template.components.filter((c) => !data.includes(c.component)).flatMap((c) => c.mounts).find((m) => !data.includes(m.volume));
  return mount ? (mount.target.split("/").pop() ?? null) : null;
}

/** Components that stay up (not one-shots): what "running" means for an instance. */
export function longRunning(template: TenantTemplate): string[] {
  return template.components.filter((c) => !c.oneShot).map((c) => c.component);
}

/** The long-running components of each software, without building a template (no secrets needed). */
export const LONG_RUNNING: Record<Software, string[]> = {
  MASTODON: ["db", "redis", "web", "streaming", "sidekiq"],
  MISSKEY: ["db", "redis", "web"],
  SHARKEY: ["db", "redis", "web"],
  BLUESKY_PDS: ["pds"],
};

/**
 * How the ingress reaches each software (src/server/provisioning/ingress): upstreams by path (first match
 * wins, the last has no path), the request body limit, and the path Hearth checks through the
 * ingress before it calls the instance live. `subdomains` routes every name below the domain
 * too, with certificates on demand (what a Bluesky PDS needs for its handles).
 */
export type IngressRouting = {
  upstreams: { paths?: string[]; component: string; port: number }[];
  bodyLimitMb: number;
  healthPath: string;
  subdomains?: boolean;
};

export const INGRESS_ROUTING: Record<Software, IngressRouting> = {
  // Mastodon's streaming API is its own process (WebSocket); uploads go up to 99 MB (upstream's nginx).
  MASTODON: {
    upstreams: [
      { paths: ["/api/v1/streaming", "/api/v1/streaming/*"], component: "streaming", port: 4000 },
      { component: "web", port: 3000 },
    ],
    bodyLimitMb: 99,
    healthPath: "/health",
  },
  // Misskey and Sharkey serve their WebSocket (/streaming) from the web process.
  MISSKEY: { upstreams: [{ component: "web", port: 3000 }], bodyLimitMb: 80, healthPath: "/healthz" },
  SHARKEY: { upstreams: [{ component: "web", port: 3000 }], bodyLimitMb: 80, healthPath: "/healthz" },
  // Everything to the one process; handles are names below the domain (alice.<domain>), each of
  // which serves /.well-known/atproto-did. Blobs up to 50 MiB, a little over for the request around them.
  BLUESKY_PDS: { upstreams: [{ component: "pds", port: 3000 }], bodyLimitMb: 55, healthPath: "/xrpc/_health", subdomains: true },
};
