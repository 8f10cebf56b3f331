// The template of each supported software, and the images a new instance is pinned to.
import type { Software } from "@/generated/prisma/client";
import { mastodonTemplate } from "./mastodon";
import { misskeyFamilyTemplate } from "./misskey";
import type { TemplateInput, TenantTemplate } from "./types";

export type { ComponentSpec, InstanceImages, InstanceMailSettings, TemplateInput, TenantTemplate } from "./types";
export { configuredImages } from "@/server/config/images";

export function tenantTemplate(software: Software, input: TemplateInput): TenantTemplate {
  switch (software) {
    case "MASTODON":
      return mastodonTemplate(input);
    case "MISSKEY":
      return misskeyFamilyTemplate(input, "/misskey");
    case "SHARKEY":
      return misskeyFamilyTemplate(input, "/sharkey");
  }
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
};
