// The template of each supported software, and the images a new instance is pinned to.
import type { Software } from "@/generated/prisma/client";
import type { Env } from "@/server/config/env";
import { mastodonTemplate } from "./mastodon";
import { misskeyFamilyTemplate } from "./misskey";
import type { InstanceImages, TemplateInput, TenantTemplate } from "./types";

export type { ComponentSpec, InstanceImages, InstanceMailSettings, TemplateInput, TenantTemplate } from "./types";

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

/** Images from configuration (env, defaults in env.ts) for a new instance of this software. */
export function configuredImages(software: Software, config: Env): InstanceImages {
  switch (software) {
    case "MASTODON":
      return {
        app: config.HEARTH_IMAGE_MASTODON,
        streaming: config.HEARTH_IMAGE_MASTODON_STREAMING,
        db: config.HEARTH_IMAGE_MASTODON_POSTGRES,
        redis: config.HEARTH_IMAGE_REDIS,
      };
    case "MISSKEY":
      return { app: config.HEARTH_IMAGE_MISSKEY, db: config.HEARTH_IMAGE_MISSKEY_POSTGRES, redis: config.HEARTH_IMAGE_REDIS };
    case "SHARKEY":
      return { app: config.HEARTH_IMAGE_SHARKEY, db: config.HEARTH_IMAGE_MISSKEY_POSTGRES, redis: config.HEARTH_IMAGE_REDIS };
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
