// Restore and verify on the real Docker engine with the test bed's real PostgreSQL 15 and Redis 7
// (src/testbed/images) as the tenant's database and Redis; the app processes are provisioning's
// stand-ins. The round trip is real: rows made with psql, an export (pg_dump), the data changed
// and deleted, the archive restored (pg_restore into a fresh database, swapped in), and every row,
// media file and Redis key compared. Failures half way (a damaged dump, a disk-full error in the
// media step) leave the instance as it was, running.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { execIn } from "@/server/provisioning/container-io";
import { listLabelled, removeLabelled, tenantContainersByComponent } from "@/server/provisioning/docker-objects";
import { stopQueue } from "@/server/provisioning/queue";
import { unsealSecrets } from "@/server/provisioning/secrets";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { converge, instanceOf, seedCommunity } from "@/server/provisioning/testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "@/server/provisioning/testing/standin-images";
import { ensureImages } from "@/testbed/images/build-image";
import { exportInstance } from "./export-instance";
import { archiveName, communityExportsDir, listExports } from "./exports-dir";
import { recoverInterruptedRestore, restoreInstance } from "./restore-instance";
import { tcpCheckingMastodon } from "./testing/standins";
import { readVerification, verifyExport } from "./verify-export";

const run = randomBytes(4).toString("hex");
const exportsDir = mkdtempSync(join(tmpdir(), "hearth-restore-test-"));
const real = await ensureImages(new Docker(), ["postgres", "redis"]);
Object.assign(process.env, standInEnv(run), {
  // These tests are about the data; the way in through the ingress is src/server/provisioning/ingress's.
  HEARTH_INGRESS: "off",
  HEARTH_IMAGE_MASTODON_POSTGRES: real.postgres.tag,
  HEARTH_IMAGE_MISSKEY_POSTGRES: real.postgres.tag,
  HEARTH_IMAGE_REDIS: real.redis.tag,
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  HEARTH_EXPORTS_DIR: exportsDir,
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "120",
  HEARTH_PROVISION_MAX_ATTEMPTS: "6",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "1",
});

let standIns: StandIns | undefined;
let tenant: Awaited<ReturnType<typeof seedCommunity>>;

const container = async (communityId: string, component: string) => {
  const found = (await tenantContainersByComponent(docker(), communityId)).get(component);
  if (!found) throw new Error(`no ${component} container`);
  return found.name;
};

async function psql(communityId: string, sql: string): Promise<string> {
  const name = await container(communityId, "db");
  let out = "";
  // Right after a start the official entrypoint's init server can still answer "starting up".
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

async function redisGet(communityId: string, key: string): Promise<string> {
  const secrets = unsealSecrets((await instanceOf(communityId)).id, (await db.instance.findUniqueOrThrow({ where: { communityId }, omit: { secretsSealed: false } })).secretsSealed!);
  const r = await execIn(docker(), await container(communityId, "redis"), ["redis-cli", "GET", key], 30, [`REDISCLI_AUTH=${secrets.redisPassword}`]);
  return r.stdout.trim();
}
async function redisSet(communityId: string, key: string, value: string): Promise<void> {
  const secrets = unsealSecrets((await instanceOf(communityId)).id, (await db.instance.findUniqueOrThrow({ where: { communityId }, omit: { secretsSealed: false } })).secretsSealed!);
  const r = await execIn(docker(), await container(communityId, "redis"), ["redis-cli", "SET", key, value], 30, [`REDISCLI_AUTH=${secrets.redisPassword}`]);
  expect(r.stdout.trim()).toBe("OK");
}

/** Every row of every table, in order: what "the same data" means. */
const snapshot = (id: string) =>
  psql(id, "SELECT 'accounts', a::text FROM accounts a UNION ALL SELECT 'statuses', s::text FROM statuses s UNION ALL SELECT 'tables', string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1, 2");
const media = async (id: string) => (await execIn(docker(), await container(id, "web"), ["sh", "-c", "cd /mastodon/public/system && find . -type f | sort | while read f; do echo \"$f $(cat \"$f\")\"; done"])).stdout;
/** Dumps Hearth put into the database's data volume (the root is read-only) and left behind. */
async function strayDumps(id: string): Promise<string[]> {
  const r = await execIn(docker(), await container(id, "db"), ["ls", "-A", "/var/lib/postgresql/data"], 30, undefined, "postgres");
  const files = r.stdout.split("\n");
  // The listing is of the cluster's folder (not an error's empty output).
  expect(files).toContain("PG_VERSION");
  return files.filter((f) => f.includes("hearth"));
}
const states = async (id: string) => Object.fromEntries([...(await tenantContainersByComponent(docker(), id))].map(([component, c]) => [component, c.state]));
const running = { db: "running", redis: "running", migrate: "exited", web: "running", streaming: "running", sidekiq: "running", "post-migrate": "exited" };

beforeAll(async () => {
  standIns = await buildStandIns(run);
  await tcpCheckingMastodon(docker(), standIns.tags.mastodon, { "hearth.test": run });
  tenant = await seedCommunity("MASTODON", "r");
  await setDesiredState(tenant.community.id, "running");
  expect((await converge(tenant.community.id, 300_000)).outcome).toBe("succeeded");
}, 400_000);

afterAll(async () => {
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await stopQueue();
  rmSync(exportsDir, { recursive: true, force: true });
  await db.$disconnect();
}, 120_000);

describe("restore on a real PostgreSQL", () => {
  let archive = "";
  let exported = "";
  let exportedMedia = "";

  it("exports with row counts, verifies, and a restore brings every row, file and key back", async () => {
    const id = tenant.community.id;
    // The stand-in's migrations made Mastodon's accounts and statuses (and schema_migrations);
    // set-up may have added the owner's account.
    await psql(id, "INSERT INTO accounts (username, email) SELECT 'user' || g, 'user' || g || '@example.org' FROM generate_series(1, 50) g");
    await psql(id, "INSERT INTO statuses (account_id, text, created_at) SELECT (SELECT id FROM accounts WHERE username = 'user' || (1 + g % 50)), 'toot ' || g || ' ✨', '2026-01-01' FROM generate_series(1, 2000) g");
    const [accounts, migrations] = (await psql(id, "SELECT (SELECT count(*) FROM accounts) || ' ' || (SELECT count(*) FROM schema_migrations)")).trim().split(" ").map(Number) as [number, number];
    expect(accounts).toBeGreaterThanOrEqual(50);
    expect(migrations).toBeGreaterThan(0);
    const web = await container(id, "web");
    await execIn(docker(), web, ["sh", "-c", "mkdir -p /mastodon/public/system/media_attachments && echo cat > /mastodon/public/system/media_attachments/cat.txt && echo dog > /mastodon/public/system/dog.txt"]);
    await redisSet(id, "hearth:test", "before");
    exported = await snapshot(id);
    exportedMedia = await media(id);
    expect(exported).toMatch(/^statuses\|\(2000,\d+,"toot 2000 ✨","2026-01-01 /m);

    archive = (await exportInstance(id, () => {})).name;
    const out = mkdtempSync(join(tmpdir(), "hearth-restore-unpacked-"));
    execFileSync("tar", ["-xzf", join(communityExportsDir(id), archive), "-C", out, "manifest.json"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    rmSync(out, { recursive: true });
    expect(manifest.rowCounts).toEqual({ "public.accounts": accounts, "public.schema_migrations": migrations, "public.statuses": 2000 });

    const verified = await verifyExport(id, archive);
    expect(verified).toMatchObject({ ok: true, summary: `Restores: 3 tables, ${accounts + migrations + 2000} rows, every count as exported.`, mismatches: [] });
    expect(await readVerification(id, archive)).toMatchObject({ ok: true });
    // The throwaway database is gone again.
    expect(await psql(id, "SELECT datname FROM pg_database WHERE datname LIKE '%hearth%'")).toBe("");
    expect(await strayDumps(id)).toEqual([]);

    // Changed, deleted, added: rows, a table, media, a Redis key.
    await psql(id, "DELETE FROM statuses WHERE id % 3 = 0; UPDATE accounts SET email = 'changed@example.org'; INSERT INTO accounts (username) VALUES ('newcomer')");
    await psql(id, "CREATE TABLE extra (x int); INSERT INTO extra VALUES (1)");
    await execIn(docker(), web, ["sh", "-c", "rm /mastodon/public/system/dog.txt && echo new > /mastodon/public/system/new.txt"]);
    await redisSet(id, "hearth:test", "after");
    expect(await snapshot(id)).not.toBe(exported);

    const steps: string[] = [];
    const detail = await restoreInstance(id, archive, (d) => {
      steps.push(d);
    });
    expect(steps.filter((s) => !s.startsWith("Exporting the current state first:"))).toEqual([
      "Checking the archive",
      "Exporting the current state first",
      "Stopping the app",
      "Restoring the database",
      "Putting the media back",
      "Putting the Redis data back",
      "Starting the instance again",
      "Removing the replaced database",
    ]);
    const undo = (await listExports(id))[0]!.name;
    expect(detail).toBe(`Restored ${archive}. The state before it is in ${undo}.`);
    expect(await snapshot(id)).toBe(exported);
    expect(await media(id)).toBe(exportedMedia);
    expect(await redisGet(id, "hearth:test")).toBe("before");
    expect(await states(id)).toEqual(running);
    expect(await psql(id, "SELECT datname FROM pg_database WHERE datname LIKE '%hearth%'")).toBe("");
    expect(await strayDumps(id)).toEqual([]);
    // The same secrets: the app's environment still holds the instance's database password, and the app reached the database.
    expect((await instanceOf(id)).phase).toBe("RUNNING");
  }, 400_000);

  it("a damaged dump fails at the database step and leaves the instance as it was, running", async () => {
    const id = tenant.community.id;
    await psql(id, "INSERT INTO accounts (username) VALUES ('after-restore')");
    const before = await snapshot(id);
    const beforeMedia = await media(id);
    // The archive's dump cut in half, with a manifest that agrees (so it passes the checks and fails in pg_restore).
    const work = mkdtempSync(join(tmpdir(), "hearth-restore-damaged-"));
    execFileSync("tar", ["-xzf", join(communityExportsDir(id), archive), "-C", work]);
    const dumpPath = join(work, "database.pgdump");
    const dump = readFileSync(dumpPath);
    writeFileSync(dumpPath, dump.subarray(0, Math.floor(dump.length / 2)));
    const manifest = JSON.parse(readFileSync(join(work, "manifest.json"), "utf8"));
    const entry = manifest.files.find((f: { path: string }) => f.path === "database.pgdump");
    entry.size = statSync(dumpPath).size;
    entry.sha256 = execFileSync("sha256sum", [dumpPath], { encoding: "utf8" }).split(" ")[0];
    writeFileSync(join(work, "manifest.json"), JSON.stringify(manifest));
    const damaged = archiveName(tenant.community.slug, new Date(Date.now() + 86_400_000));
    execFileSync("tar", ["-czf", join(communityExportsDir(id), damaged), "-C", work, ...["manifest.json", ...manifest.files.map((f: { path: string }) => f.path)]]);
    rmSync(work, { recursive: true });

    await expect(restoreInstance(id, damaged, () => {})).rejects.toThrow(
      /^The restore failed at “Restoring the database”: pg_restore exited with code 1: .*The instance was put back as it was and runs again/s,
    );
    expect(await snapshot(id)).toBe(before);
    expect(await media(id)).toBe(beforeMedia);
    expect(await states(id)).toEqual(running);
    expect(await psql(id, "SELECT datname FROM pg_database WHERE datname LIKE '%hearth%'")).toBe("");
    expect(await strayDumps(id)).toEqual([]);
    const verified = await verifyExport(id, damaged);
    expect(verified.ok).toBe(false);
    expect(verified.summary).toMatch(/^The dump does not restore: pg_restore exited with code 1/);
  }, 400_000);

  it("a disk-full error in the media step puts the database and the media back as they were", async () => {
    const id = tenant.community.id;
    await execIn(docker(), await container(id, "web"), ["sh", "-c", "echo later > /mastodon/public/system/later.txt"]);
    await redisSet(id, "hearth:test", "later");
    const before = await snapshot(id);
    const beforeMedia = await media(id);
    expect(before).not.toBe(exported);
    const diskFull = (path: string) => {
      const bytes = readFileSync(path);
      return new Readable({
        read() {
          this.push(bytes.subarray(0, Math.floor(bytes.length / 2)));
          this.destroy(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
        },
      });
    };
    await expect(restoreInstance(id, archive, () => {}, { mediaSource: diskFull })).rejects.toThrow(
      /^The restore failed at “Putting the media back”: .*no space left on device.*The instance was put back as it was and runs again/s,
    );
    expect(await snapshot(id)).toBe(before);
    expect(await media(id)).toBe(beforeMedia);
    expect(await redisGet(id, "hearth:test")).toBe("later");
    expect(await states(id)).toEqual(running);
  }, 400_000);

  it("a worker killed with SIGKILL during the restore: the next attempt puts the instance back as it was first", async () => {
    const id = tenant.community.id;
    await psql(id, "INSERT INTO accounts (username) VALUES ('before-the-kill')");
    await execIn(docker(), await container(id, "web"), ["sh", "-c", "echo kill > /mastodon/public/system/kill.txt"]);
    const before = await snapshot(id);
    const beforeMedia = await media(id);
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", new URL("./testing/restore-child.ts", import.meta.url).pathname, id, archive], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const seen: string[] = [];
    const killed = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        seen.push(...chunk.toString().split("\n").filter(Boolean));
        // Killed once the database has been swapped and the media are being replaced: the worst moment.
        if (seen.includes("Putting the media back")) child.kill("SIGKILL");
      });
      child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`the restore ended by itself: ${seen.join(" / ")}`))));
    });
    await killed;
    // Half done: the app is down, the database is the archive's.
    expect((await states(id)).web).toBe("exited");
    expect(await snapshot(id)).toBe(exported);

    const steps: string[] = [];
    expect(await recoverInterruptedRestore(id, (d) => void steps.push(d))).toBe(true);
    expect(steps).toEqual(["A restore was interrupted: putting the instance back first", "Putting the instance back as it was", "Starting the instance again"]);
    expect(await snapshot(id)).toBe(before);
    expect(await media(id)).toBe(beforeMedia);
    expect(await states(id)).toEqual(running);
    expect(await psql(id, "SELECT datname FROM pg_database WHERE datname LIKE '%hearth%'")).toBe("");
    expect(await strayDumps(id)).toEqual([]);
    expect(await recoverInterruptedRestore(id)).toBe(false);
  }, 400_000);
});
