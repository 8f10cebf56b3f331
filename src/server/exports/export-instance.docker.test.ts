// Instance exports on the real Docker engine, on the real PostgreSQL and Redis images and the app
// stand-ins (see provisioning/testing/standin-images.ts): the archive and its manifest (its dump
// restored into a scratch database and compared with the tenant's rows), a failing
// step that leaves nothing behind, the admin's export job, the archive served for download, and a
// stopped instance: exported with its database woken for the dump, and deleted with an export
// first (a failed dump deletes nothing).
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes } from "@/lib/format";
import { runDueOperations } from "@/server/admin/operations/run-operation";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { execIn, waitHealthy } from "@/server/provisioning/container-io";
import { listLabelled, removeLabelled, tenantContainersByComponent } from "@/server/provisioning/docker-objects";
import { registerInstanceExporter } from "@/server/provisioning/export-hook";
import { getInstanceTimeline } from "@/server/provisioning/get-instance-timeline";
import { stopQueue } from "@/server/provisioning/queue";
import { retryInstanceNow } from "@/server/provisioning/retry-instance";
import { unsealSecrets } from "@/server/provisioning/secrets";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { tarball } from "@/server/provisioning/tar";
import { converge, countObjects, instanceOf, seedCommunity, tenantSql } from "@/server/provisioning/testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "@/server/provisioning/testing/standin-images";
import { notArchiveNames } from "./testing/archives";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import { exportDownload } from "./download-export";
import { exportInstance, MANIFEST_FORMAT } from "./export-instance";
import { communityExportsDir, listExports } from "./exports-dir";
import { registerExporter } from "./register-exporter";

const run = randomBytes(4).toString("hex");
const exportsDir = mkdtempSync(join(tmpdir(), "hearth-exports-test-"));
Object.assign(process.env, standInEnv(run), {
  // These tests are about the containers; the way in through the ingress is src/server/provisioning/ingress's.
  HEARTH_INGRESS: "off",
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  HEARTH_EXPORTS_DIR: exportsDir,
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "240",
  HEARTH_PROVISION_MAX_ATTEMPTS: "1",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "0.5",
});

let standIns: StandIns | undefined;
let tenant: Awaited<ReturnType<typeof seedCommunity>>;
let scratch: string;

/** Restores a pg_dump archive into a fresh database of the scratch server; returns a query function. */
async function restore(dump: string): Promise<(sql: string) => Promise<string>> {
  const name = `restored_${randomBytes(3).toString("hex")}`;
  await docker().getContainer(scratch).putArchive(await tarball([{ type: "file", name: `${name}.pgdump`, mode: 0o644, content: readFileSync(dump) }]), { path: "/tmp" });
  const run = async (cmd: string[]) => {
    const result = await execIn(docker(), scratch, cmd);
    if (result.exitCode !== 0) throw new Error(`${cmd[0]} failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  await run(["createdb", "-U", "scratch", name]);
  await run(["pg_restore", "-U", "scratch", "--no-owner", "--no-privileges", "--exit-on-error", "-d", name, `/tmp/${name}.pgdump`]);
  return (sql) => run(["psql", "-X", "-U", "scratch", "-d", name, "-tAc", sql]);
}

const ROWS = "SELECT a.username, s.text FROM statuses s JOIN accounts a ON a.id = s.account_id ORDER BY s.id";

const container = async (communityId: string, component: string) => {
  const found = (await tenantContainersByComponent(docker(), communityId)).get(component);
  if (!found) throw new Error(`no ${component} container`);
  return found.name;
};

/** Unpacks an archive with the system's tar (GNU tar reads what we wrote, or the test fails). */
function unpack(archive: string): string {
  const out = mkdtempSync(join(tmpdir(), "hearth-export-unpacked-"));
  execFileSync("tar", ["-xzf", archive, "-C", out]);
  return out;
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const leftovers = (communityId: string) => readdirSync(communityExportsDir(communityId)).filter((n) => n.startsWith("."));

beforeAll(async () => {
  standIns = await buildStandIns(run);
  // A PostgreSQL of the same image, to restore the archives' dumps into.
  const server = await docker().createContainer({
    Image: standInEnv(run).HEARTH_IMAGE_MASTODON_POSTGRES,
    Env: ["POSTGRES_USER=scratch", "POSTGRES_PASSWORD=scratch"],
    Labels: { "hearth.test": `exports-${run}` },
    HostConfig: { NetworkMode: "none" },
  });
  await server.start();
  scratch = server.id;
  tenant = await seedCommunity("MASTODON", "x");
  await setDesiredState(tenant.community.id, "running");
  expect((await converge(tenant.community.id)).outcome).toBe("succeeded");
  // Data to find in the archive: an account (through tootctl) and its posts in the tenant's
  // PostgreSQL, media files, a key in Redis.
  const web = await container(tenant.community.id, "web");
  expect((await execIn(docker(), web, ["tootctl", "accounts", "create", "alice", "--email", "alice@example.org", "--confirmed"])).exitCode).toBe(0);
  await tenantSql(tenant.community.id, "INSERT INTO statuses (account_id, text) SELECT id, unnest(ARRAY['toot 1', 'toot ''2'' with quotes', 'ünïcödé toot']) FROM accounts WHERE username = 'alice'");
  await execIn(docker(), web, ["sh", "-c", "mkdir -p /mastodon/public/system/media_attachments && echo 'cat picture' > /mastodon/public/system/media_attachments/cat.txt"]);
  await execIn(docker(), await container(tenant.community.id, "redis"), ["redis-cli", "SET", "hearth-export-test-key", "feeds"]);
  await waitHealthy(docker(), scratch, 120);
}, 20 * 60_000);

afterAll(async () => {
  registerInstanceExporter(undefined);
  if (scratch) await docker().getContainer(scratch).remove({ force: true, v: true }).catch(() => {});
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await stopQueue();
  rmSync(exportsDir, { recursive: true, force: true });
  await db.$disconnect();
}, 120_000);

describe("an instance export", () => {
  let archiveName = "";

  it("writes one tar.gz with the manifest, the dump, the configuration, the media and the Redis dump", async () => {
    const id = tenant.community.id;
    // What a worker killed mid-export would have left.
    mkdirSync(join(communityExportsDir(id), ".work-dead"), { recursive: true });
    writeFileSync(join(communityExportsDir(id), `.${tenant.community.slug}-20250101-000000-abcdef.tar.gz.partial`), "half");
    const steps: string[] = [];
    const result = await exportInstance(id, (detail) => {
      steps.push(detail);
    });
    archiveName = result.name;
    expect(result.name).toMatch(new RegExp(`^${tenant.community.slug}-\\d{8}-\\d{6}-[0-9a-f]{6}\\.tar\\.gz$`));
    expect(steps).toEqual(expect.arrayContaining(["Dumping the database", "Writing the configuration", "Copying the media", "Saving the Redis dump", "Writing the archive"]));
    expect(await listExports(id)).toEqual([expect.objectContaining({ name: result.name, size: result.size })]);
    expect(leftovers(id)).toEqual([]);
    const path = join(communityExportsDir(id), result.name);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // In the order of INSTANCES.md's backup set, after the manifest.
    expect(execFileSync("tar", ["-tzf", path], { encoding: "utf8" }).trim().split("\n")).toEqual([
      "manifest.json",
      "database.pgdump",
      "config/app.env",
      "media.tar",
      "redis/dump.rdb",
    ]);
    const out = unpack(path);
    try {
      const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
      expect(manifest).toMatchObject({ format: MANIFEST_FORMAT, software: "MASTODON", version: "v4.7.2", domain: `${tenant.community.slug}.hearth.localhost`, notes: [] });
      expect(Date.now() - Date.parse(manifest.createdAt)).toBeLessThan(60_000);
      expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(["database.pgdump", "config/app.env", "media.tar", "redis/dump.rdb"]);
      for (const file of manifest.files as { path: string; size: number; sha256: string }[]) {
        expect(statSync(join(out, file.path)).size, file.path).toBe(file.size);
        expect(sha256(join(out, file.path)), file.path).toBe(file.sha256);
      }

      // The dump, restored into a scratch database, holds exactly the tenant's rows.
      expect(readFileSync(join(out, "database.pgdump")).subarray(0, 5).toString()).toBe("PGDMP");
      const restored = await restore(join(out, "database.pgdump"));
      const rows = await tenantSql(id, ROWS);
      expect(rows.split("\n")).toEqual(["alice|toot 1", "alice|toot '2' with quotes", "alice|ünïcödé toot"]);
      expect(await restored(ROWS)).toBe(rows);
      expect(await restored("SELECT version FROM schema_migrations ORDER BY version")).toBe(await tenantSql(id, "SELECT version FROM schema_migrations ORDER BY version"));

      // The configuration with its secrets (the owner's move-away archive), without per-process PORT.
      const secrets = unsealSecrets((await instanceOf(id)).id, (await db.instance.findUniqueOrThrow({ where: { communityId: id }, omit: { secretsSealed: false } })).secretsSealed!);
      const envFile = readFileSync(join(out, "config/app.env"), "utf8");
      expect(envFile).toContain(`LOCAL_DOMAIN=${tenant.community.slug}.hearth.localhost\n`);
      expect(envFile).toContain(`DB_PASS=${secrets.dbPassword}\n`);
      expect(envFile).toContain(`SECRET_KEY_BASE=${secrets.mastodon?.secretKeyBase}\n`);
      expect(envFile).not.toMatch(/^PORT=/m);

      const media = execFileSync("tar", ["-tf", join(out, "media.tar")], { encoding: "utf8" });
      expect(media).toContain("system/media_attachments/cat.txt");
      execFileSync("tar", ["-xf", join(out, "media.tar"), "-C", out]);
      expect(readFileSync(join(out, "system/media_attachments/cat.txt"), "utf8")).toBe("cat picture\n");

      // Redis was asked to SAVE, with the password it runs with: the key written above is in the dump.
      const rdb = readFileSync(join(out, "redis/dump.rdb"));
      expect(rdb.subarray(0, 5).toString()).toBe("REDIS");
      expect(rdb.includes("hearth-export-test-key")).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  it("a Misskey-family instance: its generated default.yml and its files folder", async () => {
    const misskey = await seedCommunity("SHARKEY", "k");
    await setDesiredState(misskey.community.id, "running");
    expect((await converge(misskey.community.id)).outcome).toBe("succeeded");
    const id = misskey.community.id;
    await execIn(docker(), await container(id, "web"), ["sh", "-c", "echo 'drive file' > /sharkey/files/drive-1.txt"]);
    const result = await exportInstance(id, () => {});
    const path = join(communityExportsDir(id), result.name);
    expect(execFileSync("tar", ["-tzf", path], { encoding: "utf8" }).trim().split("\n")).toEqual([
      "manifest.json",
      "database.pgdump",
      "config/app.env",
      "config/default.yml",
      "media.tar",
      "redis/dump.rdb",
    ]);
    const out = unpack(path);
    try {
      const yml = readFileSync(join(out, "config/default.yml"), "utf8");
      const secrets = unsealSecrets((await instanceOf(id)).id, (await db.instance.findUniqueOrThrow({ where: { communityId: id }, omit: { secretsSealed: false } })).secretsSealed!);
      expect(yml).toContain(`url: 'https://${misskey.community.slug}.hearth.localhost/'`);
      expect(yml).toContain(`  pass: '${secrets.dbPassword}'`);
      const restored = await restore(join(out, "database.pgdump"));
      expect(await restored(`SELECT "isRoot" FROM "user"`)).toBe("t");
      expect(execFileSync("tar", ["-tf", join(out, "media.tar")], { encoding: "utf8" })).toContain("files/drive-1.txt");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 400_000);

  it("fails at the step that failed, keeps no partial file, and deletes nothing", async () => {
    const id = tenant.community.id;
    const before = await listExports(id);
    const db = await container(id, "db");
    await docker().getContainer(db).stop({ t: 1 });
    try {
      await expect(exportInstance(id, () => {})).rejects.toThrow(
        /The export failed at “Dumping the database”: The database container is exited, not running\..*No archive was kept, and nothing was deleted\./,
      );
      expect(await listExports(id)).toEqual(before);
      expect(leftovers(id)).toEqual([]);
      expect(await countObjects(id)).toEqual({ containers: 7, networks: 2, volumes: 3 });
    } finally {
      await docker().getContainer(db).start();
      await waitHealthy(docker(), db, 60);
    }
  }, 300_000);

  it("the admin's export job writes an archive and says its name and size", async () => {
    const id = tenant.community.id;
    const op = await db.tenantOperation.create({ data: { communityId: id, kind: "EXPORT" } });
    expect(await runDueOperations(id)).toBe(1);
    const done = await db.tenantOperation.findUniqueOrThrow({ where: { id: op.id } });
    expect(done).toMatchObject({ state: "SUCCEEDED", error: null });
    const newest = (await listExports(id))[0]!;
    expect(newest.name).not.toBe(archiveName);
    expect(done.detail).toBe(`Exported to ${newest.name} (${formatBytes(newest.size)}).`);
  }, 300_000);

  it("download: the archive is served whole, as an attachment; names that are not its archives are not", async () => {
    // Who may download (the host admin, the community's owner) is the routes' part, tested beside
    // them: src/app/admin/tenants/[id]/exports/[file] and src/app/dashboard/[slug]/exports/[file].
    const id = tenant.community.id;
    const bytes = readFileSync(join(communityExportsDir(id), archiveName));
    const ok = await exportDownload(id, archiveName);
    expect(ok?.status).toBe(200);
    expect(ok?.headers.get("content-disposition")).toBe(`attachment; filename="${archiveName}"`);
    expect(ok?.headers.get("content-type")).toBe("application/gzip");
    expect(ok?.headers.get("content-length")).toBe(String(bytes.length));
    expect(Buffer.from(await ok!.arrayBuffer()).equals(bytes)).toBe(true);

    for (const name of notArchiveNames(id, archiveName)) expect(await exportDownload(id, name), JSON.stringify(name)).toBeNull();
    const other = await makeCommunity(await makeUser());
    expect(await exportDownload(other.id, archiveName), "another community's folder").toBeNull();
  }, 300_000);
});

describe("a stopped instance (suspended, or its funding lapsed)", () => {
  const state = async (communityId: string) =>
    Object.fromEntries([...(await tenantContainersByComponent(docker(), communityId))].map(([component, c]) => [component, c.state]));
  /** Runs `command` in the stopped database container's volume, starting and stopping it around. */
  const inStoppedDb = async (communityId: string, sql: string) => {
    const db0 = await container(communityId, "db");
    await docker().getContainer(db0).start();
    await waitHealthy(docker(), db0, 120);
    const result = await execIn(docker(), db0, ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-U", "mastodon", "-d", "postgres", "-c", sql]);
    expect(result.exitCode, result.stderr).toBe(0);
    await docker().getContainer(db0).stop({ t: 10 });
  };

  it("is exported with its database started for the dump alone, then stopped again", async () => {
    const id = tenant.community.id;
    await setDesiredState(id, "stopped");
    expect((await converge(id)).outcome).toBe("succeeded");
    expect(Object.values(await state(id)).every((s) => s === "exited")).toBe(true);
    const steps: string[] = [];
    const result = await exportInstance(id, (detail) => {
      steps.push(detail);
    });
    expect(steps).toContain("Starting the database for the export");
    const out = unpack(join(communityExportsDir(id), result.name));
    try {
      expect(await (await restore(join(out, "database.pgdump")))(ROWS)).toMatch(/^alice\|toot 1\n/);
      expect(readFileSync(join(out, "redis/dump.rdb")).includes("hearth-export-test-key")).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // Nothing left running: the app was never started, the data is stopped again.
    expect(Object.values(await state(id)).every((s) => s === "exited")).toBe(true);
  }, 300_000);

  it("deleted with an export first: a failing dump deletes nothing; once it succeeds, exported then deleted", async () => {
    const id = tenant.community.id;
    registerExporter();
    const before = (await listExports(id)).length;
    // The database is not where the instance's configuration says (renamed by hand): pg_dump fails.
    await inStoppedDb(id, "ALTER DATABASE mastodon RENAME TO mastodon_moved");
    await setDesiredState(id, "deleted", { exportFirst: true });
    expect((await converge(id)).outcome).toBe("failed");
    const blocked = await instanceOf(id);
    expect(blocked.phase).toBe("ERROR");
    expect(blocked.lastError).toMatch(/The export failed at “Dumping the database”: pg_dump exited with code 1: pg_dump: error: .*database "mastodon" does not exist.*nothing was deleted/s);
    expect(await countObjects(id)).toEqual({ containers: 7, networks: 2, volumes: 3 });
    expect(Object.values(await state(id)).every((s) => s === "exited")).toBe(true);
    expect(await listExports(id)).toHaveLength(before);
    expect(leftovers(id)).toEqual([]);

    // Repaired, the retry exports, then deletes.
    await inStoppedDb(id, "ALTER DATABASE mastodon_moved RENAME TO mastodon");
    await retryInstanceNow(id);
    expect((await converge(id)).outcome).toBe("succeeded");
    const after = await listExports(id);
    expect(after).toHaveLength(before + 1);
    expect(await countObjects(id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    const timeline = await getInstanceTimeline(id, tenant.owner);
    const exportStep = timeline?.runs[0]?.steps.find((s) => s.key === "export");
    expect(exportStep).toMatchObject({ state: "SUCCEEDED", detail: expect.stringMatching(new RegExp(`^Exported to ${after[0]!.name} \\(`)) });
  }, 400_000);
});
