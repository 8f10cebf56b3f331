// Accepting the archive a community moves in with (an upload that has arrived whole): it is
// unpacked into a staging folder of its own and checked (manifest, sizes and sha256 of every
// file, nothing unlisted, the media tar entry by entry: check-archive.ts), then held against the
// community: the same software, a version Hearth can run (not newer than what new servers get:
// migrations bring an older one up, nothing brings a newer one down), the same domain (the
// instance's identity on the fediverse: its accounts and posts are addressed by it), and the
// secrets the data needs (move-in-secrets.ts). Only then is it moved into the community's exports
// folder under an export's name, and its secrets stored sealed for the first provisioning.
// Anything refused is deleted with a sentence for the field; nothing is written outside staging.
import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Software } from "@/generated/prisma/enums";
import { recordAudit } from "@/server/audit/record-audit";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { mediaFolder, retryInstanceNow, sealMovedSecrets } from "@/server/provisioning";
import { compareVersions, parseVersion } from "@/server/releases";
import { imagesForNewInstance, versionOf } from "@/server/settings";
import { checkArchive } from "./check-archive";
import { archiveName, communityExportsDir, exportsRoot } from "./exports-dir";
import { movedSecrets } from "./move-in-secrets";
import { ArchiveRefused, DEFAULT_LIMITS } from "./read-archive";

const SOFTWARE_NAMES: Record<Software, string> = { MASTODON: "Mastodon", MISSKEY: "Misskey", SHARKEY: "Sharkey", BLUESKY_PDS: "Bluesky PDS" };

export type AcceptedMoveIn = { archive: string; size: number; version: string };

/** Why a version cannot be moved in, or null. */
export function versionProblem(archived: string, offered: string | null, software: string): string | null {
  if (archived === offered) return null;
  const a = parseVersion(archived);
  const b = offered ? parseVersion(offered) : null;
  if (!a || !b) return `This archive comes from ${software} ${archived}, and this host cannot tell whether ${offered ?? "its version"} can run it.`;
  if (compareVersions(a, b) > 0) return `This archive comes from ${software} ${archived}, newer than ${offered}, the version this host sets up: its database cannot be taken back to an older version.`;
  return null;
}

/** The community the archive is for, as the acceptance needs it; refuses when moving in is over. */
async function moveInCommunity(communityId: string) {
  const community = await db.community.findFirst({
    where: { id: communityId, deletedAt: null },
    select: { id: true, slug: true, domain: true, software: true, plan: { select: { diskGb: true } }, moveIn: { select: { archive: true } }, instance: { select: { secretsSealed: true } } },
  });
  if (!community?.moveIn) throw new ArchiveRefused("This community did not choose to move in from an export.");
  if (community.instance?.secretsSealed) throw new ArchiveRefused("This community's server has already been set up: an archive can no longer be moved in. Restore it from the dashboard's exports instead.");
  return community;
}

/** The most an archive of this community may be (also the upload's limit): the plan's disk. */
export async function moveInLimitBytes(communityId: string): Promise<number> {
  const community = await db.community.findUniqueOrThrow({ where: { id: communityId }, select: { plan: { select: { diskGb: true } } } });
  return Math.max(1, community.plan.diskGb) * 1024 ** 3;
}

/**
 * Checks the file at `upload` (inside the exports folder's upload area) and, when it passes,
 * makes it the community's move-in archive. The upload is gone afterwards either way.
 */
export async function acceptMoveIn(communityId: string, upload: string, actorId: string | null): Promise<AcceptedMoveIn> {
  const staging = join(exportsRoot(), ".staging", `move-in-${communityId}-${randomBytes(4).toString("hex")}`);
  try {
    const community = await moveInCommunity(communityId);
    const software = community.software;
    const label = SOFTWARE_NAMES[software];
    await mkdir(staging, { recursive: true, mode: 0o700 });
    const limits = { ...DEFAULT_LIMITS, maxBytes: Math.max(1, community.plan.diskGb) * 1024 ** 3 };
    const checked = await checkArchive(upload, staging, limits, mediaFolder(software) ?? undefined);
    const { manifest } = checked;
    if (manifest.software !== software) throw new ArchiveRefused(`This archive is of a ${SOFTWARE_NAMES[manifest.software]} server; this community runs ${label}.`);
    if (manifest.domain !== community.domain) {
      throw new ArchiveRefused(
        `This archive is of ${manifest.domain}, but this community's domain is ${community.domain ?? "not set"}. A server keeps its domain when it moves (its accounts are known by it): start the community with ${manifest.domain} as its domain.`,
      );
    }
    const offered = versionOf(await imagesForNewInstance(software));
    const versionSaid = versionProblem(manifest.version, offered, label);
    if (versionSaid) throw new ArchiveRefused(versionSaid);
    const secrets = await movedSecrets(checked, software);

    const dir = communityExportsDir(communityId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = archiveName(community.slug, new Date());
    await rename(upload, join(dir, name));
    const { size } = await stat(join(dir, name));
    const previous = community.moveIn?.archive;
    await db.$transaction(async (tx) => {
      await tx.moveIn.update({
        where: { communityId },
        data: { archive: name, size: BigInt(size), version: manifest.version, secretsSealed: sealMovedSecrets(communityId, secrets), acceptedAt: new Date() },
      });
      await recordAudit(tx, { actorId, communityId, action: "community.move-in-accepted", data: { archive: name, size, version: manifest.version } });
    });
    // A second upload replaces the first.
    if (previous && previous !== name) await rm(join(dir, previous), { force: true });
    // Funded before the archive came: the first provisioning waits for it (provisioning's
    // move-in hook), and goes on now rather than at its next retry.
    if (community.instance) {
      await retryInstanceNow(communityId).catch((error: unknown) => log.warn("move-in: the waiting provisioning was not retried at once", { communityId, error: error instanceof Error ? error.message : String(error) }));
    }
    return { archive: name, size, version: manifest.version };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(upload, { force: true });
  }
}
