// The images a new instance is pinned to: the configured images (env), at the newest version
// the host admin offers for that software (the first in the host settings' list).
import "server-only";
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { configuredImages, type InstanceImages } from "@/server/config/images";
import { getHostSettings } from "./host-settings";
import { imagesForVersion } from "./image-versions";

type Reader = Parameters<typeof getHostSettings>[0];

export async function imagesForNewInstance(software: Software, client: Reader = db): Promise<InstanceImages> {
  const images = configuredImages(software, env());
  const newest = (await getHostSettings(client)).versions[software][0];
  return newest ? imagesForVersion(images, newest) : images;
}
