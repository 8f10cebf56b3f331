// The security releases Hearth knows of, maintained by hand in this file. Source: each project's
// own release announcements (Mastodon's GitHub releases and blog, Misskey's release notes,
// Sharkey's releases on activitypub.software), as gathered in the team's INSTANCES.md, checked
// 2026-12-04. When a project announces a security release, add it here (newest first) and pin it
// in src/server/config/env.ts; `npm run images:check` and /admin/settings then flag every older
// version still offered.
import type { Software } from "@/generated/prisma/enums";

export type SecurityRelease = {
  /** The release line it fixes (Mastodon maintains several at once); absent: the only line. */
  line?: string;
  version: string;
};

export const SECURITY_RELEASES_CHECKED = "2026-12-04";
export const SECURITY_RELEASES_SOURCE =
  "the projects' release announcements (Mastodon: github.com/mastodon/mastodon/releases; Misskey: misskey-hub.net release notes; Sharkey: activitypub.software/TransFem-org/Sharkey/-/releases)";

export const SECURITY_RELEASES: Record<Software, SecurityRelease[]> = {
  MASTODON: [
    { line: "4.7", version: "v4.7.2" },
    { line: "4.6", version: "v4.6.8" },
    { line: "4.5", version: "v4.5.18" },
  ],
  MISSKEY: [{ version: "2026.5.4" }],
  SHARKEY: [{ version: "2025.4.7" }],
  // None announced that Hearth tracks yet (bluesky-social/pds publishes the 0.4 line as a moving tag).
  BLUESKY_PDS: [],
};
