// Moving in on the real Docker engine, with the test bed's real PostgreSQL 15 and Redis 7 as the
// tenants' database and Redis (the app processes are provisioning's stand-ins): a community's
// instance is exported (pg_dump), the archive is accepted for a second community with the same
// domain (as if the first had lived on another Hearth), and that community's first provisioning
// puts the archive's data in before migrations and the app start. Every row, media file and
// Redis key is the same, and so are the secrets the data needs; the database and Redis
// passwords are new. Then the same data as a self-hosted server's owner has it (a pg_dump of a
// database whose tables belong to roles Hearth does not have, the media folder, an
// .env.production) is packed with public/move-in/pack-archive.sh and moves into a third
// community the same way.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { execIn, execStreaming } from "@/server/provisioning/container-io";
import { listLabelled, removeLabelled, tenantContainersByComponent } from "@/server/provisioning/docker-objects";
import { WAITING_FOR_ARCHIVE } from "@/server/provisioning/move-in-hook";
import { stopQueue } from "@/server/provisioning/queue";
import { reconcileInstance } from "@/server/provisioning/reconcile-instance";
import { unsealSecrets } from "@/server/provisioning/secrets";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { converge, instanceOf, seedCommunity } from "@/server/provisioning/testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "@/server/provisioning/testing/standin-images";
import { imagesForNewInstance, versionOf } from "@/server/settings";
import { ensureImages } from "@/testbed/images/build-image";
import { acceptMoveIn } from "./accept-move-in";
import { exportInstance } from "./export-instance";
import { communityExportsDir } from "./exports-dir";
import { uploadsDir } from "./move-in-upload";
import { registerMoveIn } from "./restore-move-in";
import { tcpCheckingMastodon } from "./testing/standins";

const run = randomBytes(4).toString("hex");
const exportsDir = mkdtempSync(join(tmpdir(), "hearth-move-in-test-"));
const real = await ensureImages(new Docker(), ["postgres", "redis"]);
Object.assign(process.env, standInEnv(run), {
  HEARTH_INGRESS: "off",
  HEARTH_IMAGE_MASTODON_POSTGRES: real.postgres.tag,
  HEARTH_IMAGE_MISSKEY_POSTGRES: real.postgres.tag,
  HEARTH_IMAGE_REDIS: real.redis.tag,
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  HEARTH_EXPORTS_DIR: exportsDir,
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "300",
  HEARTH_PROVISION_MAX_ATTEMPTS: "6",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "1",
});

let standIns: StandIns | undefined;
/** The community the first test moved away from (its instance still runs): the self-hosted server of the second. */
let movedAway: string | undefined;

const container = async (communityId: string, component: string) => {
  const found = (await tenantContainersByComponent(docker(), communityId)).get(component);
  if (!found) throw new Error(`no ${component} container`);
  return found.name;
};

async function psql(communityId: string, sql: string): Promise<string> {
  const name = await container(communityId, "db");
  let out = "";
  await vi.waitFor(
    async () => {
      const r = await execIn(docker(), name, ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "mastodon", "-d", "mastodon", "-c", sql]);
      if (r.exitCode !== 0) throw new Error(r.stderr);
      out = r.stdout;
    },
    { timeout: 60_000, interval: 500 },
  );
  return out;
}

async function secretsOf(communityId: string) {
  const row = await db.instance.findUniqueOrThrow({ where: { communityId }, omit: { secretsSealed: false } });
  return unsealSecrets(row.id, row.secretsSealed!);
}

async function redis(communityId: string, ...args: string[]): Promise<string> {
  const r = await execIn(docker(), await container(communityId, "redis"), ["redis-cli", ...args], 30, [`REDISCLI_AUTH=${(await secretsOf(communityId)).redisPassword}`]);
  return r.stdout.trim();
}

/** Every row of the tables the stand-in's migrations made, in order, and the list of tables. */
const snapshot = (id: string) =>
  psql(id, "SELECT 'accounts', a::text FROM accounts a UNION ALL SELECT 'statuses', s::text FROM statuses s UNION ALL SELECT 'tables', string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1, 2");
const media = async (id: string) => (await execIn(docker(), await container(id, "web"), ["sh", "-c", "cd /mastodon/public/system && find . -type f | sort | while read f; do echo \"$f $(cat \"$f\")\"; done"])).stdout;

beforeAll(async () => {
  standIns = await buildStandIns(run);
  await tcpCheckingMastodon(docker(), standIns.tags.mastodon, { "hearth.test": run });
  registerMoveIn();
}, 400_000);

afterAll(async () => {
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await stopQueue();
  rmSync(exportsDir, { recursive: true, force: true });
  await db.$disconnect();
}, 120_000);

describe("moving in on a real PostgreSQL", () => {
  it("an exported instance moves into a new community: the same data row for row, the same media, Redis keys and secrets", async () => {
    // The server that moves: data made with psql, media files, a Redis key.
    const from = await seedCommunity("MASTODON", "mf");
    await setDesiredState(from.community.id, "running");
    expect((await converge(from.community.id, 1_200_000)).outcome).toBe("succeeded");
    const a = from.community.id;
    movedAway = a;
    await psql(a, "INSERT INTO accounts (username, email) SELECT 'user' || g, 'user' || g || '@example.org' FROM generate_series(1, 40) g");
    await psql(a, "INSERT INTO statuses (account_id, text, created_at) SELECT (SELECT id FROM accounts WHERE username = 'user' || (1 + g % 40)), 'toot ' || g || ' ✨', '2026-01-01' FROM generate_series(1, 1500) g");
    await execIn(docker(), await container(a, "web"), ["sh", "-c", "mkdir -p /mastodon/public/system/media_attachments && echo cat > /mastodon/public/system/media_attachments/cat.txt && echo dog > /mastodon/public/system/dog.txt"]);
    await redis(a, "SET", "hearth:moved", "with-its-data");
    const exported = await snapshot(a);
    const exportedMedia = await media(a);
    expect(exported).toMatch(/^statuses\|\(1500,\d+,"toot 1500 ✨","2026-01-01 /m);
    expect(exportedMedia).toContain("./dog.txt dog");
    const archive = (await exportInstance(a, () => {})).name;
    const { domain } = await db.community.findUniqueOrThrow({ where: { id: a }, select: { domain: true } });

    // The first community "lived on another Hearth": its domain is free here for the one that moves in.
    await db.community.update({ where: { id: a }, data: { domain: `moved-away.${domain}` } });
    const to = await seedCommunity("MASTODON", "mt");
    const b = to.community.id;
    await db.community.update({ where: { id: b }, data: { domain, moveIn: { create: {} } } });

    // Funded before the archive is here: provisioning waits and creates nothing.
    await setDesiredState(b, "running");
    const waiting = await reconcileInstance((await instanceOf(b)).id);
    expect(waiting.outcome).toBe("retry");
    const secretsStep = await db.instanceStep.findFirstOrThrow({ where: { run: { instance: { communityId: b } }, key: "secrets" } });
    expect(secretsStep).toMatchObject({ state: "FAILED", error: expect.stringContaining(WAITING_FOR_ARCHIVE) });
    expect((await tenantContainersByComponent(docker(), b)).size).toBe(0);

    // The archive arrives (as the upload route leaves it) and is accepted.
    mkdirSync(uploadsDir(), { recursive: true });
    const upload = join(uploadsDir(), `${b}-upload`);
    copyFileSync(join(communityExportsDir(a), archive), upload);
    const accepted = await acceptMoveIn(b, upload, to.owner.id);

    expect((await converge(b, 1_200_000)).outcome).toBe("succeeded");
    const step = await db.instanceStep.findFirstOrThrow({ where: { run: { instance: { communityId: b } }, key: "move-in" } });
    expect(step).toMatchObject({ state: "SUCCEEDED", label: "Move in: put the archive's database, media and Redis data in" });
    expect(step.detail).toBe(`Moved in from ${accepted.archive} (MASTODON ${accepted.version}): database, media, Redis data`);
    expect((await db.moveIn.findUniqueOrThrow({ where: { communityId: b } })).restoredAt).not.toBeNull();

    expect(await snapshot(b)).toBe(exported);
    expect(await media(b)).toBe(exportedMedia);
    expect(await redis(b, "GET", "hearth:moved")).toBe("with-its-data");
    const [before, after] = [await secretsOf(a), await secretsOf(b)];
    expect(after.mastodon).toEqual(before.mastodon);
    expect(after.dbPassword).not.toBe(before.dbPassword);
    expect(after.redisPassword).not.toBe(before.redisPassword);
    // The new server's database is the archive's only: nothing kept aside.
    expect(await psql(b, "SELECT datname FROM pg_database WHERE datname LIKE '%hearth%'")).toBe("");
    // No admin account was made for the organiser: the accounts came with the archive.
    expect(await db.instanceStep.count({ where: { run: { instance: { communityId: b } }, key: "admin-account" } })).toBe(0);
  }, 2_700_000);

  it("a self-hosted server packed with pack-archive.sh moves in: its dump restored without its roles, its media and secrets", async () => {
    const a = movedAway;
    expect(a, "the first test's server").toBeDefined();
    if (!a) return;
    // As on a server set up by hand: the tables belong to a role of its own, with grants to another.
    await psql(a, "CREATE ROLE mastodon_live; CREATE ROLE readonly; ALTER TABLE statuses OWNER TO mastodon_live; GRANT SELECT ON accounts TO readonly");
    await psql(a, "UPDATE statuses SET text = text || ' (self-hosted)' WHERE id % 100 = 0");
    const dumped = await snapshot(a);
    const dumpedMedia = await media(a);
    const owner = (await psql(a, "SELECT tableowner FROM pg_tables WHERE tablename = 'statuses'")).trim();
    expect(owner).toBe("mastodon_live");

    // What its owner has on disk: the dump, the media folder, the .env.production.
    const parts = mkdtempSync(join(tmpdir(), "hearth-self-hosted-"));
    const copyOut = async (name: string, cmd: string[], file: string) => {
      const chunks: Buffer[] = [];
      const sink = new PassThrough().on("data", (chunk: Buffer) => chunks.push(chunk));
      const result = await execStreaming(docker(), name, cmd, sink, { timeoutSeconds: 300 });
      expect(result.exitCode, result.stderr).toBe(0);
      writeFileSync(file, Buffer.concat(chunks));
    };
    await copyOut(await container(a, "db"), ["pg_dump", "--format=custom", "-U", "mastodon", "mastodon"], join(parts, "database.pgdump"));
    await copyOut(await container(a, "web"), ["tar", "-C", "/mastodon/public", "-cf", "-", "system"], join(parts, "media.tar"));
    mkdirSync(join(parts, "live", "public"), { recursive: true });
    expect(spawnSync("tar", ["-C", join(parts, "live", "public"), "-xf", join(parts, "media.tar")]).status).toBe(0);
    const secrets = (await secretsOf(a)).mastodon!;

    const to = await seedCommunity("MASTODON", "ms");
    const c = to.community.id;
    // Its own domain, as a server that lived elsewhere has.
    const domain = `social-${run}.example.org`;
    await db.community.update({ where: { id: c }, data: { domain, moveIn: { create: {} } } });
    writeFileSync(
      join(parts, "live", ".env.production"),
      [
        `LOCAL_DOMAIN=${domain}`,
        "SINGLE_USER_MODE=false",
        `SECRET_KEY_BASE=${secrets.secretKeyBase}`,
        `VAPID_PRIVATE_KEY=${secrets.vapidPrivateKey}`,
        `VAPID_PUBLIC_KEY=${secrets.vapidPublicKey}`,
        `ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=${secrets.activeRecordPrimaryKey}`,
        `ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY=${secrets.activeRecordDeterministicKey}`,
        `ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT=${secrets.activeRecordKeyDerivationSalt}`,
        "DB_HOST=/var/run/postgresql",
        "DB_USER=mastodon_live",
        "DB_NAME=mastodon_production",
        "REDIS_HOST=localhost",
        "S3_ENABLED=false",
      ].join("\n") + "\n",
    );
    mkdirSync(uploadsDir(), { recursive: true });
    const packed = join(uploadsDir(), `${c}-self-packed`);
    const version = versionOf(await imagesForNewInstance("MASTODON"))!;
    const script = spawnSync(
      "sh",
      [join(process.cwd(), "public/move-in/pack-archive.sh"), "--software", "mastodon", "--version", version, "--domain", domain, "--database", join(parts, "database.pgdump"), "--config", join(parts, "live", ".env.production"), "--media", join(parts, "live", "public", "system"), "--out", packed],
      { encoding: "utf8" },
    );
    expect(script.status, script.stderr).toBe(0);
    const accepted = await acceptMoveIn(c, packed, to.owner.id);

    await setDesiredState(c, "running");
    expect((await converge(c, 1_200_000)).outcome).toBe("succeeded");
    const step = await db.instanceStep.findFirstOrThrow({ where: { run: { instance: { communityId: c } }, key: "move-in" } });
    expect(step.detail).toBe(`Moved in from ${accepted.archive} (MASTODON ${version}): database, media`);
    expect(await snapshot(c)).toBe(dumped);
    expect(await media(c)).toBe(dumpedMedia);
    // Restored without the old server's roles: everything belongs to the instance's own.
    expect((await psql(c, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).trim()).toBe("mastodon");
    expect((await secretsOf(c)).mastodon).toEqual(secrets);
    rmSync(parts, { recursive: true, force: true });
  }, 2_700_000);
});
