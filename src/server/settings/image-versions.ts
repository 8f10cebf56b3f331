// A version on this host is the tag of the app image (and of Mastodon's streaming image).
import type { InstanceImages } from "@/server/config/images";

function splitRef(ref: string): { repository: string; tag: string | null } {
  const at = ref.indexOf("@");
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(":");
  // A colon before the last slash belongs to a registry's port (localhost:5000/app).
  if (colon > name.lastIndexOf("/")) return { repository: name.slice(0, colon), tag: at >= 0 ? null : name.slice(colon + 1) };
  return { repository: name, tag: null };
}

export function versionOf(images: Pick<InstanceImages, "app">): string | null {
  return splitRef(images.app).tag;
}

/** The images with the app (and streaming) image at another tag; database and Redis unchanged. */
export function imagesForVersion(images: InstanceImages, version: string): InstanceImages {
  const retag = (ref: string) => `${splitRef(ref).repository}:${version}`;
  return { ...images, app: retag(images.app), ...(images.streaming ? { streaming: retag(images.streaming) } : {}) };
}
