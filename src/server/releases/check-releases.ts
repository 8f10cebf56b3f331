// The release check behind `npm run images:check` and /admin/settings: for each software, the
// versions this host pins and offers, the newest stable version the configured registry offers
// (or why it could not be asked), and whether a security release is pending.
import type { Software } from "@/generated/prisma/enums";
import { compareVersions, newestStable, parseVersion } from "./compare-versions";
import { registryTags } from "./registry-tags";
import { SECURITY_RELEASES, SECURITY_RELEASES_CHECKED, SECURITY_RELEASES_SOURCE } from "@/server/config/security-releases";
import { securityStatus, type SecurityStatus } from "./security-status";

export type SoftwareReleases = {
  software: Software;
  image: string;
  /** What new instances get (the first offered version). */
  pinned: string;
  offered: { version: string; security: SecurityStatus }[];
  registry: { reachable: true; newest: string | null; newerThanPinned: boolean } | { reachable: false; reason: string };
  registryName: string;
};

export type ReleaseCheck = { checkedAt: Date; source: string; listChecked: string; software: SoftwareReleases[] };

export async function checkReleases(
  input: { software: Software; image: string; offered: string[] }[],
  fetchTags: typeof registryTags = registryTags,
): Promise<ReleaseCheck> {
  const software = await Promise.all(
    input.map(async ({ software, image, offered }): Promise<SoftwareReleases> => {
      const pinned = offered[0] ?? "";
      const answer = await fetchTags(image);
      const newest = answer.ok ? newestStable(answer.tags) : null;
      const newer = newest !== null && parseVersion(pinned) !== null && compareVersions(parseVersion(newest)!, parseVersion(pinned)!) > 0;
      return {
        software,
        image,
        pinned,
        offered: offered.map((version) => ({ version, security: securityStatus(software, version) })),
        registry: answer.ok ? { reachable: true, newest, newerThanPinned: newer } : { reachable: false, reason: answer.reason },
        registryName: answer.registry,
      };
    }),
  );
  return { checkedAt: new Date(), source: SECURITY_RELEASES_SOURCE, listChecked: SECURITY_RELEASES_CHECKED, software };
}

/** Whether any offered version of any software has a security release pending (or is unsupported). */
export const securityPending = (check: ReleaseCheck) =>
  check.software.some((s) => s.offered.some((o) => o.security.state === "pending" || o.security.state === "unsupported"));

export { SECURITY_RELEASES };
