// The release check for this host: the versions its settings offer (the first is what new
// instances get) and the configured image of each software. Registries are asked at most every
// ten minutes (a page must not wait on them each time); the answer says when it was made.
import "server-only";
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { configuredImages } from "@/server/config/images";
import { getHostSettings } from "@/server/settings";
import { checkReleases, type ReleaseCheck } from "./check-releases";

const TTL_MS = 10 * 60_000;
let cached: { key: string; at: number; check: Promise<ReleaseCheck> } | undefined;

export async function getReleaseCheck(): Promise<ReleaseCheck> {
  const settings = await getHostSettings();
  const config = env();
  const input = (Object.keys(settings.versions) as Software[]).map((software) => ({
    software,
    image: configuredImages(software, config).app,
    offered: settings.versions[software],
  }));
  const key = JSON.stringify(input);
  if (!cached || cached.key !== key || Date.now() - cached.at > TTL_MS) {
    cached = { key, at: Date.now(), check: checkReleases(input) };
  }
  return cached.check;
}
