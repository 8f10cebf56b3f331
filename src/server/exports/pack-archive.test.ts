// The packing script a self-hosted server's owner runs (public/move-in/pack-archive.sh, served at
// /move-in/pack-archive.sh): what it packs from a dump, a configuration and a media folder is
// accepted by the move-in like a Hearth export, with the server's own secrets; what it cannot
// pack honestly (not a custom-format dump, a domain the configuration does not name, a server
// split over two domains) it refuses with a sentence and exit code 2, writing nothing.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { firstSecrets } from "@/server/provisioning/move-in-hook";
import { imagesForNewInstance, versionOf } from "@/server/settings";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import { acceptMoveIn } from "./accept-move-in";
import { findExport } from "./exports-dir";
import { uploadsDir } from "./move-in-upload";
import { MASTODON_SECRETS, planContextOf } from "./testing/move-in-archives";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
process.env.HEARTH_EXPORTS_DIR ??= mkdtempSync(join(tmpdir(), "hearth-pack-archive-"));

const SCRIPT = join(process.cwd(), "public/move-in/pack-archive.sh");
const versions: Record<string, string> = {};
beforeAll(async () => {
  for (const software of ["MASTODON", "MISSKEY"] as const) versions[software] = versionOf(await imagesForNewInstance(software)) ?? "";
});

/** A self-hosted server's parts as its owner has them: a dump, a configuration, a media folder. */
function serverParts(config: string, mediaFile: string) {
  const dir = mkdtempSync(join(tmpdir(), "hearth-self-hosted-"));
  writeFileSync(join(dir, "database.pgdump"), Buffer.concat([Buffer.from("PGDMP"), Buffer.from([1, 14, 0, 4, 8, 1, 0])]));
  writeFileSync(join(dir, "config"), config);
  mkdirSync(join(dir, "media", "accounts", "avatars"), { recursive: true });
  writeFileSync(join(dir, "media", ...mediaFile.split("/")), "an avatar");
  return dir;
}

function pack(args: string[]) {
  const out = join(uploadsDir(), `packed-${Math.random().toString(16).slice(2)}`);
  mkdirSync(uploadsDir(), { recursive: true });
  const result = spawnSync("sh", [SCRIPT, ...args, "--out", out], { encoding: "utf8" });
  return { out, status: result.status, stderr: result.stderr };
}

/** What the packed archive holds, read with the system's tar: its names, its manifest, the media tar's files. */
function unpacked(archive: string) {
  const dir = mkdtempSync(join(tmpdir(), "hearth-packed-"));
  execFileSync("tar", ["-xzf", archive, "-C", dir]);
  const list = (args: string[]) => execFileSync("tar", args, { encoding: "utf8" }).trim().split("\n");
  return {
    names: list(["-tzf", archive]),
    manifest: JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>,
    media: list(["-tf", join(dir, "media.tar")]).filter((name) => !name.endsWith("/")),
  };
}

const mastodonEnv = (domain: string, extra = "") =>
  [`LOCAL_DOMAIN=${domain}`, ...Object.entries(MASTODON_SECRETS).map(([k, v]) => `${k}=${v}`), "DB_HOST=/var/run/postgresql", "DB_PASS=", extra].join("\n") + "\n";

describe("a self-packed Mastodon server", () => {
  it("is packed as a Hearth export and moved in with its own secrets", async () => {
    const owner = await makeUser();
    const community = await makeCommunity(owner, { start: "move-in", software: "MASTODON" });
    const domain = community.domain!;
    const parts = serverParts(mastodonEnv(domain), "accounts/avatars/1.png");
    const packed = pack(["--software", "mastodon", "--version", versions.MASTODON!, "--domain", domain.toUpperCase(), "--database", join(parts, "database.pgdump"), "--config", join(parts, "config"), "--media", join(parts, "media")]);
    expect(packed.stderr).toMatch(/wrote .* bytes/);
    expect(packed.status).toBe(0);

    const archive = unpacked(packed.out);
    expect(archive.names).toEqual(["manifest.json", "database.pgdump", "config/app.env", "media.tar"]);
    expect(archive.manifest).toMatchObject({ format: "hearth-instance-export/1", software: "MASTODON", version: versions.MASTODON, domain });
    expect(archive.media).toEqual(["system/accounts/avatars/1.png"]);

    const accepted = await acceptMoveIn(community.id, packed.out, owner.id);
    expect(await findExport(community.id, accepted.archive)).toMatchObject({ size: accepted.size });
    expect(existsSync(packed.out)).toBe(false);
    const { secrets } = await firstSecrets(planContextOf(community.id, "MASTODON"));
    expect(secrets.mastodon?.secretKeyBase).toBe(MASTODON_SECRETS.SECRET_KEY_BASE);
    expect(secrets.mastodon?.activeRecordKeyDerivationSalt).toBe(MASTODON_SECRETS.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT);
  });

  const refusals: [string, (domain: string, parts: string) => string[], RegExp][] = [
    ["a dump that is not in the custom format", (domain, parts) => (writeFileSync(join(parts, "plain.sql"), "-- PostgreSQL database dump\n"), ["--domain", domain, "--database", join(parts, "plain.sql")]), /is not a pg_dump in the custom format/],
    ["a domain the configuration does not name", () => ["--domain", "social.elsewhere.example"], /sets LOCAL_DOMAIN=.*, not social\.elsewhere\.example/],
    ["a server split over two domains", (domain, parts) => (writeFileSync(join(parts, "config"), mastodonEnv(domain, "WEB_DOMAIN=www.example.org")), ["--domain", domain]), /WEB_DOMAIN=www\.example\.org beside LOCAL_DOMAIN/],
    ["a version that is not one", (domain) => ["--domain", domain, "--version", "latest"], /--version must be the server's version/],
    ["an unknown software", (domain) => ["--domain", domain, "--software", "pleroma"], /--software must be mastodon, misskey or sharkey/],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what} with a sentence, and writes nothing`, () => {
      const domain = "social.example.org";
      const parts = serverParts(mastodonEnv(domain), "accounts/avatars/1.png");
      const base = { "--software": "mastodon", "--version": "4.3.2", "--database": join(parts, "database.pgdump"), "--config": join(parts, "config"), "--media": join(parts, "media") };
      const own = args(domain, parts);
      const merged: Record<string, string> = { ...base };
      for (let i = 0; i < own.length; i += 2) merged[own[i]!] = own[i + 1]!;
      const packed = pack(Object.entries(merged).flat());
      expect(packed.stderr).toMatch(message);
      expect(packed.status).toBe(2);
      expect(existsSync(packed.out)).toBe(false);
    });
  }
});

describe("a self-packed Misskey server", () => {
  const yml = (url: string) => `url: '${url}'\nport: 3000\nid: 'aidx'\nsetupPassword: '${"m".repeat(32)}'\ndb:\n  host: localhost\n  pass: old-password\n`;

  it("is packed with its default.yml and files folder and moved in", async () => {
    const owner = await makeUser();
    const community = await makeCommunity(owner, { start: "move-in", software: "MISSKEY" });
    const domain = community.domain!;
    const parts = serverParts(yml(`https://${domain}/`), "accounts/avatars/1.webp");
    const packed = pack(["--software", "misskey", "--version", versions.MISSKEY!, "--domain", domain, "--database", join(parts, "database.pgdump"), "--config", join(parts, "config"), "--media", join(parts, "media")]);
    expect(packed.status).toBe(0);
    const archive = unpacked(packed.out);
    expect(archive.names).toEqual(["manifest.json", "database.pgdump", "config/default.yml", "media.tar"]);
    expect(archive.media).toEqual(["files/accounts/avatars/1.webp"]);
    await acceptMoveIn(community.id, packed.out, owner.id);
    expect(await db.moveIn.findUniqueOrThrow({ where: { communityId: community.id } })).toMatchObject({ version: versions.MISSKEY });
    expect((await firstSecrets(planContextOf(community.id, "MISSKEY"))).secrets.misskey?.setupPassword).toBe("m".repeat(32));
  });

  it("refuses a url at another domain", () => {
    const parts = serverParts(yml("https://misskey.elsewhere.example/"), "x.webp");
    const packed = pack(["--software", "misskey", "--version", "2025.1.0", "--domain", "social.example.org", "--database", join(parts, "database.pgdump"), "--config", join(parts, "config")]);
    expect(packed.stderr).toMatch(/url is https:\/\/misskey\.elsewhere\.example\/, not at social\.example\.org/);
    expect(packed.status).toBe(2);
  });
});
