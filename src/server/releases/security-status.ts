// Whether a version has a security release pending, from the maintained list.
import type { Software } from "@/generated/prisma/enums";
import { compareVersions, lineOf, parseVersion } from "./compare-versions";
import { SECURITY_RELEASES } from "@/server/config/security-releases";

export type SecurityStatus =
  | { state: "current"; message: string }
  | { state: "pending"; upgradeTo: string; message: string }
  | { state: "unsupported"; upgradeTo: string; message: string }
  | { state: "unknown"; message: string };

export function securityStatus(software: Software, tag: string): SecurityStatus {
  const version = parseVersion(tag);
  const releases = SECURITY_RELEASES[software];
  if (!version) return { state: "unknown", message: `${tag} is not a version number, so it cannot be compared with the security releases.` };
  const parsed = releases.map((r) => ({ ...r, parsed: parseVersion(r.version)! }));
  const newest = parsed[0];
  if (!newest) return { state: "unknown", message: "Hearth's list of security releases has none for this software yet, so it cannot say whether this version needs one." };
  const sameLine = parsed.find((r) => r.line === undefined || r.line === lineOf(version));
  if (sameLine) {
    if (compareVersions(version, sameLine.parsed) >= 0) return { state: "current", message: `Has every known security fix (${sameLine.version} or newer).` };
    return { state: "pending", upgradeTo: sameLine.version, message: `Security release pending: upgrade to ${sameLine.version}.` };
  }
  if (compareVersions(version, newest.parsed) > 0) return { state: "current", message: `Newer than the newest known security release (${newest.version}).` };
  return {
    state: "unsupported",
    upgradeTo: newest.version,
    message: `This release line gets no security fixes any more: upgrade to ${newest.version}.`,
  };
}
