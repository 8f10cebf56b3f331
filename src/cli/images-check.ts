// `npm run images:check`: for each software, the version this host pins for new instances and the
// others it offers, the newest stable version the configured image's registry offers (or why it
// could not be asked: no answer is made up), and whether a security release is pending, from the
// list maintained in src/server/releases/security-releases.ts. Reads the host settings when
// DATABASE_URL is set; otherwise the configured images (HEARTH_IMAGE_*) alone.
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { configuredImages } from "@/server/provisioning/templates";
import { checkReleases, securityPending } from "@/server/releases/check-releases";
import { defaultVersions } from "@/server/settings";

async function offeredVersions(): Promise<{ versions: Record<Software, string[]>; from: string }> {
  if (!env().DATABASE_URL) return { versions: defaultVersions(), from: "the configured images (DATABASE_URL is not set, so host settings were not read)" };
  const { getHostSettings } = await import("@/server/settings/host-settings");
  const { db } = await import("@/server/db/client");
  try {
    return { versions: (await getHostSettings()).versions, from: "the host settings" };
  } finally {
    await db.$disconnect();
  }
}

async function main() {
  const config = env();
  const { versions, from } = await offeredVersions();
  const check = await checkReleases(
    (Object.keys(versions) as Software[]).map((software) => ({ software, image: configuredImages(software, config).app, offered: versions[software] })),
  );
  console.log(`images:check  versions from ${from}`);
  console.log(`security releases: the list in src/server/releases/security-releases.ts (checked ${check.listChecked}; source: ${check.source})\n`);
  for (const s of check.software) {
    console.log(`${s.software}  ${s.image}`);
    console.log(`  pinned for new instances  ${s.pinned}`);
    for (const o of s.offered) console.log(`  offered ${o.version.padEnd(18)} ${o.security.state.padEnd(12)} ${o.security.message}`);
    if (s.registry.reachable) {
      console.log(`  registry ${s.registryName}: newest stable ${s.registry.newest ?? "(no version tags)"}${s.registry.newerThanPinned ? "  (newer than the pinned version)" : ""}`);
    } else {
      console.log(`  registry ${s.registryName}: not reachable from here (${s.registry.reason}); newest version unknown`);
    }
    console.log("");
  }
  console.log(securityPending(check) ? "images:check: a security release is pending for an offered version (see above)" : "images:check: no security release pending");
}

main().catch((error: unknown) => {
  console.error(`images:check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
