// `npm run images:build [-- name ...]`: builds the test bed's images (real PostgreSQL, Redis,
// Caddy, ... from Debian's packages) where this machine lacks them, and prints each one's tag and
// time. Needs a Docker engine, and root with debootstrap the first time (the Debian base image).
import Docker from "dockerode";
import { DEFAULT_IMAGES, ensureImages, IMAGE_NAMES, type ImageName } from "@/testbed/images/build-image";

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !IMAGE_NAMES.includes(name as ImageName));
  if (unknown.length > 0) {
    console.error(`images: unknown image ${unknown.join(", ")} (known: ${IMAGE_NAMES.join(", ")})`);
    process.exit(2);
  }
  const started = Date.now();
  const built = await ensureImages(new Docker(), asked.length > 0 ? (asked as ImageName[]) : DEFAULT_IMAGES);
  for (const image of Object.values(built)) {
    console.log(`${image.name.padEnd(10)} ${image.tag.padEnd(40)} ${image.built ? `built in ${image.seconds.toFixed(0)} s` : "present"}`);
  }
  console.log(`images: ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(`images: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
