// Moving in (a new community starting from an export archive): the start form's choice, the
// archive's acceptance and its refusals (each with its sentence, nothing left outside staging),
// the secrets the first provisioning takes from it. The resumable upload route's test lives beside
// the route (src/app/api/move-in/uploads/[[...id]]/route.test.ts).
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { db } from "@/server/db/client";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import { firstSecrets, WAITING_FOR_ARCHIVE } from "@/server/provisioning/move-in-hook";
import { imagesForNewInstance, versionOf } from "@/server/settings";
import { acceptMoveIn } from "./accept-move-in";
import { communityExportsDir, exportsRoot, findExport } from "./exports-dir";
import { uploadsDir } from "./move-in-upload";
import { MASTODON_SECRETS, mastodonArchive, PDS_SECRETS, pdsArchive, planContextOf, tarOf } from "./testing/move-in-archives";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
process.env.HEARTH_EXPORTS_DIR ??= mkdtempSync(join(tmpdir(), "hearth-move-in-"));

let version = "";
beforeAll(async () => {
  version = versionOf(await imagesForNewInstance("MASTODON")) ?? "";
});

async function movingIn(software: "MASTODON" | "MISSKEY" = "MASTODON") {
  const owner = await makeUser();
  const community = await makeCommunity(owner, { start: "move-in", software });
  return { owner, community };
}

/** A PDS needs a domain atproto accepts for handles: the community's own, not the tests' *.localhost. */
async function movingInPds(owner: Awaited<ReturnType<typeof makeUser>>) {
  const ownDomain = `pds-${Math.random().toString(16).slice(2, 8)}.example.org`;
  return makeCommunity(owner, { start: "move-in", software: "BLUESKY_PDS", domainKind: "own", ownDomain });
}

/** Writes `content` where an upload would be, and a probe that nothing else was written. */
function upload(content: Buffer): { path: string; clean: () => void } {
  const dir = uploadsDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `test-${Math.random().toString(16).slice(2)}`);
  writeFileSync(path, content);
  return {
    path,
    clean: () => {
      // The upload is gone, the staging folder holds nothing of it, nothing went into the exports folder.
      expect(readdirSync(dir)).not.toContain(path.split("/").pop());
      expect(readdirSync(join(exportsRoot(), ".staging")).filter((n) => n.startsWith("move-in-"))).toEqual([]);
    },
  };
}

describe("starting a community that moves in", () => {
  it("the start form's choice makes a MoveIn row, for a Bluesky PDS too", async () => {
    const { community } = await movingIn();
    expect(await db.moveIn.findUnique({ where: { communityId: community.id } })).toMatchObject({ archive: null, acceptedAt: null });
    const owner = await makeUser();
    const pds = await movingInPds(owner);
    expect(await db.moveIn.findUnique({ where: { communityId: pds.id } })).toMatchObject({ archive: null, acceptedAt: null });
    const plain = await makeCommunity(owner);
    expect(await db.moveIn.findUnique({ where: { communityId: plain.id } })).toBeNull();
  });
});

describe("acceptMoveIn", () => {
  it("accepts an archive of the same software, version and domain: stored as one of the community's exports, its secrets sealed for provisioning", async () => {
    const { owner, community } = await movingIn();
    // Until an archive is accepted, provisioning waits.
    await expect(firstSecrets(planContextOf(community.id))).rejects.toThrow(WAITING_FOR_ARCHIVE);
    const file = upload(await mastodonArchive({ domain: community.domain!, version }));
    const accepted = await acceptMoveIn(community.id, file.path, owner.id);
    file.clean();
    expect(await findExport(community.id, accepted.archive)).toMatchObject({ size: accepted.size });
    const row = await db.moveIn.findUniqueOrThrow({ where: { communityId: community.id }, select: { archive: true, version: true, secretsSealed: true, acceptedAt: true } });
    expect(row).toMatchObject({ archive: accepted.archive, version });
    expect(row.secretsSealed).not.toContain(MASTODON_SECRETS.SECRET_KEY_BASE);
    expect(await db.auditEvent.count({ where: { communityId: community.id, action: "community.move-in-accepted", actorId: owner.id } })).toBe(1);

    // The first provisioning's secrets: the archive's own, with new database and Redis passwords.
    const { secrets } = await firstSecrets(planContextOf(community.id));
    expect(secrets.mastodon).toEqual({
      secretKeyBase: MASTODON_SECRETS.SECRET_KEY_BASE,
      vapidPrivateKey: MASTODON_SECRETS.VAPID_PRIVATE_KEY,
      vapidPublicKey: MASTODON_SECRETS.VAPID_PUBLIC_KEY,
      activeRecordPrimaryKey: MASTODON_SECRETS.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY,
      activeRecordDeterministicKey: MASTODON_SECRETS.ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY,
      activeRecordKeyDerivationSalt: MASTODON_SECRETS.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT,
    });
    expect(secrets.dbPassword).not.toBe("old-db-password");

    // A second archive replaces the first.
    const again = upload(await mastodonArchive({ domain: community.domain!, version }));
    const second = await acceptMoveIn(community.id, again.path, owner.id);
    expect(readdirSync(communityExportsDir(community.id))).toEqual([second.archive]);
  });

  it("accepts a Bluesky PDS's archive: its token secret and rotation key are taken, its admin password is new", async () => {
    const owner = await makeUser();
    const community = await movingInPds(owner);
    const pdsVersion = versionOf(await imagesForNewInstance("BLUESKY_PDS")) ?? "";
    const file = upload(await pdsArchive({ domain: community.domain!, version: pdsVersion }));
    const accepted = await acceptMoveIn(community.id, file.path, owner.id);
    file.clean();
    expect(await findExport(community.id, accepted.archive)).toMatchObject({ size: accepted.size });
    const { secrets } = await firstSecrets(planContextOf(community.id, "BLUESKY_PDS"));
    expect(secrets.pds).toMatchObject({ jwtSecret: PDS_SECRETS.PDS_JWT_SECRET, plcRotationKeyHex: PDS_SECRETS.PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX });
    expect(secrets.pds!.adminPassword).not.toBe(PDS_SECRETS.PDS_ADMIN_PASSWORD);
    expect(secrets.pds!.adminPassword.length).toBeGreaterThanOrEqual(24);
  });

  const pdsRefusals: [string, (domain: string) => Record<string, string>, RegExp][] = [
    ["names another PDS_HOSTNAME", () => ({ ...PDS_SECRETS, PDS_HOSTNAME: "pds.elsewhere.example" }), /sets PDS_HOSTNAME=pds\.elsewhere\.example, but its manifest says/],
    ["has no rotation key", (domain) => ({ PDS_HOSTNAME: domain, PDS_JWT_SECRET: PDS_SECRETS.PDS_JWT_SECRET }), /no valid PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX \(64 hex digits, a secp256k1 private key\): without the PDS's rotation key/],
    ["has a rotation key that is not a secp256k1 key", (domain) => ({ ...PDS_SECRETS, PDS_HOSTNAME: domain, PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: "f".repeat(64) }), /no valid PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX \(64 hex digits, a secp256k1 private key\)/],
    ["has no token secret", (domain) => ({ PDS_HOSTNAME: domain, PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: PDS_SECRETS.PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX }), /no PDS_JWT_SECRET of at least 32 characters/],
  ];
  it("refuses a PDS archive that also holds media (it would land on the PDS's data volume); nothing is kept", async () => {
    const owner = await makeUser();
    const community = await movingInPds(owner);
    const pdsVersion = versionOf(await imagesForNewInstance("BLUESKY_PDS")) ?? "";
    const media = await tarOf([{ name: "pds/", type: "directory" }, { name: "pds/account.sqlite", content: Buffer.from("not the real one") }]);
    const file = upload(await pdsArchive({ domain: community.domain!, version: pdsVersion, extra: [{ path: "media.tar", content: media }] }));
    await expect(acceptMoveIn(community.id, file.path, owner.id)).rejects.toThrow(/lists media\.tar, which a Bluesky PDS's archive does not hold/);
    file.clean();
    expect(await db.moveIn.findUniqueOrThrow({ where: { communityId: community.id } })).toMatchObject({ archive: null, acceptedAt: null });
  });

  for (const [what, env, message] of pdsRefusals) {
    it(`refuses a PDS archive whose configuration ${what}; nothing is kept`, async () => {
      const owner = await makeUser();
      const community = await movingInPds(owner);
      const pdsVersion = versionOf(await imagesForNewInstance("BLUESKY_PDS")) ?? "";
      const file = upload(await pdsArchive({ domain: community.domain!, version: pdsVersion, env: env(community.domain!) }));
      await expect(acceptMoveIn(community.id, file.path, owner.id)).rejects.toThrow(message);
      file.clean();
      expect(await db.moveIn.findUniqueOrThrow({ where: { communityId: community.id } })).toMatchObject({ archive: null, acceptedAt: null });
      expect(() => readdirSync(communityExportsDir(community.id))).toThrow(/ENOENT/);
    });
  }

  const refusals: [string, (domain: string) => Promise<Buffer>, RegExp][] = [
    ["another software", (domain) => mastodonArchive({ domain, version, software: "MISSKEY" }), /This archive is of a Misskey server; this community runs Mastodon\./],
    ["another domain", () => mastodonArchive({ domain: "social.elsewhere.example", version }), /This archive is of social\.elsewhere\.example, but this community's domain is .*start the community with social\.elsewhere\.example as its domain/],
    ["a newer version", (domain) => mastodonArchive({ domain, version: "v99.0.0" }), /comes from Mastodon v99\.0\.0, newer than .* cannot be taken back to an older version/],
    [
      "a file that does not match its checksum",
      (domain) => mastodonArchive({ domain, version, after: (items) => items.map((i) => (i.name === "database.pgdump" ? { ...i, content: Buffer.from("PGDMP a dump for tesTS") } : i)) }),
      /database\.pgdump does not match its checksum in the manifest: the archive is damaged or was changed\./,
    ],
    ["a name that climbs out with ..", (domain) => mastodonArchive({ domain, version, after: (items) => [...items, { name: "../../outside-evil", content: Buffer.from("x") }] }), /climbs out of its folder with “\.\.”/],
    ["a symbolic link", (domain) => mastodonArchive({ domain, version, after: (items) => [{ name: "link", type: "symlink", linkname: "/etc" }, ...items] }), /symbolic link/],
    [
      "a configuration whose LOCAL_DOMAIN is not the manifest's domain",
      (domain) => mastodonArchive({ domain, version, env: { ...MASTODON_SECRETS, LOCAL_DOMAIN: "social.elsewhere.example" } }),
      /config\/app\.env sets LOCAL_DOMAIN=social\.elsewhere\.example, but its manifest says .*: pack it again with --domain social\.elsewhere\.example/,
    ],
    ["an archive without the instance's secrets", (domain) => mastodonArchive({ domain, version, env: { LOCAL_DOMAIN: domain } }), /config\/app\.env lacks SECRET_KEY_BASE, VAPID_PRIVATE_KEY/],
    ["something that is not a tar.gz", async () => Buffer.from("just some text, not an archive"), /not a gzip-compressed tar archive/],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what} with a sentence; nothing is kept`, async () => {
      const { owner, community } = await movingIn();
      const file = upload(await make(community.domain!));
      await expect(acceptMoveIn(community.id, file.path, owner.id)).rejects.toThrow(message);
      file.clean();
      expect(await db.moveIn.findUniqueOrThrow({ where: { communityId: community.id } })).toMatchObject({ archive: null, acceptedAt: null });
      expect(await findExport(community.id, "x")).toBeNull();
      expect(() => readdirSync(communityExportsDir(community.id))).toThrow(/ENOENT/);
      // ".." would have landed two folders above the staging folder: in the exports root.
      expect(readdirSync(exportsRoot())).not.toContain("outside-evil");
    });
  }

  it("refuses a community that did not choose to move in, and one whose server is already set up", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const file = upload(await mastodonArchive({ domain: community.domain!, version }));
    await expect(acceptMoveIn(community.id, file.path, owner.id)).rejects.toThrow("This community did not choose to move in from an export.");
    file.clean();
    const moving = await movingIn();
    await db.instance.create({ data: { communityId: moving.community.id, phase: "PROVISIONING", images: {}, secretsSealed: "sealed" } });
    const late = upload(await mastodonArchive({ domain: moving.community.domain!, version }));
    await expect(acceptMoveIn(moving.community.id, late.path, moving.owner.id)).rejects.toThrow(/already been set up/);
  });
});
