// Version tags as the projects write them: v4.7.2 (Mastodon), 2026.5.4 (Misskey), 2025.4.7
// (Sharkey), with pre-release suffixes (v4.8.0-beta.1, 2026.6.0-alpha.2). Tags that are not
// versions (latest, edge, nightly) are not compared.
export type ParsedVersion = { numbers: number[]; pre: string | null };

export function parseVersion(tag: string): ParsedVersion | null {
  const match = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?$/.exec(tag);
  if (!match?.[1]) return null;
  return { numbers: match[1].split(".").map(Number), pre: match[2] ?? null };
}

/** Negative when a is older than b; a release is newer than its own pre-releases. */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.numbers.length, b.numbers.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (diff !== 0) return diff;
  }
  if (a.pre === b.pre) return 0;
  if (a.pre === null) return 1;
  if (b.pre === null) return -1;
  return a.pre.localeCompare(b.pre, "en", { numeric: true });
}

/** The release line of a version: its first two numbers (4.7, 2026.5). */
export const lineOf = (version: ParsedVersion) => version.numbers.slice(0, 2).join(".");

/** The newest stable version among tags (pre-releases and non-version tags left out). */
export function newestStable(tags: string[]): string | null {
  let best: { tag: string; version: ParsedVersion } | null = null;
  for (const tag of tags) {
    const version = parseVersion(tag);
    if (!version || version.pre !== null) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { tag, version };
  }
  return best?.tag ?? null;
}
