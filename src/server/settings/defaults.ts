// What the host settings are when no Setting row says otherwise: the environment's values.
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { configuredImages } from "@/server/config/images";
import { SECURITY_RELEASES } from "@/server/config/security-releases";
import { versionOf } from "./image-versions";

/** Defaults of the host settings that funding reads (Setting rows funding.* override them). */
export function fundingDefaults(): { graceDays: number; hostFeeCents: number; currency: string } {
  const config = env();
  return { graceDays: config.HEARTH_FUNDING_GRACE_DAYS, hostFeeCents: config.HEARTH_HOST_FEE_CENTS, currency: config.HEARTH_CURRENCY };
}

/**
 * The default list of offered versions: the configured image's version first (what new instances
 * get), then, when that is the newest known security release, the security releases of the other
 * release lines the project still maintains (so an instance on an older line can take its fix).
 */
export function defaultVersions(): Record<Software, string[]> {
  const config = env();
  const offered = (software: Software) => {
    const tag = versionOf(configuredImages(software, config)) ?? "latest";
    const known = SECURITY_RELEASES[software].map((r) => r.version);
    return known[0] === tag ? known : [tag];
  };
  return { MASTODON: offered("MASTODON"), MISSKEY: offered("MISSKEY"), SHARKEY: offered("SHARKEY"), BLUESKY_PDS: offered("BLUESKY_PDS") };
}
