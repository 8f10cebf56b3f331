// The images each software's new instances use, as the environment configures them
// (HEARTH_IMAGE_*, defaults in env.ts). Host settings pick the version; provisioning pins them.
import type { Software } from "@/generated/prisma/enums";
import type { Env } from "./env";

/** Image per component, pinned on the instance when it is created (a Bluesky PDS has only `app`). */
export type InstanceImages = { app: string; streaming?: string; db?: string; redis?: string };

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
    case "BLUESKY_PDS":
      return { app: config.HEARTH_IMAGE_PDS };
  }
}
