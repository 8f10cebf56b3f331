// What the host settings are when no Setting row says otherwise: the environment's values.
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { configuredImages } from "@/server/config/images";
import { versionOf } from "./image-versions";

/** Defaults of the host settings that funding reads (Setting rows funding.* override them). */
export function fundingDefaults(): { graceDays: number; hostFeeCents: number; currency: string } {
  const config = env();
  return { graceDays: config.HEARTH_FUNDING_GRACE_DAYS, hostFeeCents: config.HEARTH_HOST_FEE_CENTS, currency: config.HEARTH_CURRENCY };
}

/** The version each software's configured image has: the default list of offered versions. */
export function defaultVersions(): Record<Software, string[]> {
  const config = env();
  const tag = (software: Software) => versionOf(configuredImages(software, config)) ?? "latest";
  return { MASTODON: [tag("MASTODON")], MISSKEY: [tag("MISSKEY")], SHARKEY: [tag("SHARKEY")] };
}
