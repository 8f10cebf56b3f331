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
