// `npm run bench:restore [-- dbMB mediaMB]`: export, verify and restore time, and the peak memory
// of the Hearth process, for a generated Mastodon tenant with a database of about dbMB (default
// 1024) and mediaMB of media files (default 2048), on the test bed's real PostgreSQL and Redis
// with the app stand-ins. Its own throwaway database, exports folder and Docker objects; removes
// them at the end. Needs about 6x (db + media) of free disk under the system's temp folder.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { standInEnv } from "@/server/provisioning/testing/standin-images";
import { ensureImages } from "@/testbed/images/build-image";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const dbMB = Number(process.argv[2] ?? 1024);
const mediaMB = Number(process.argv[3] ?? 2048);
const run = `bench${randomBytes(3).toString("hex")}`;
const exportsDir = mkdtempSync(join(tmpdir(), "hearth-bench-restore-"));
const real = await ensureImages(new Docker(), ["postgres", "redis"]);
const server = await startTestServer();
const databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench_restore");
Object.assign(process.env, standInEnv(run), {
  DATABASE_URL: databaseUrl,
  // Instances on published ports: the bench measures the data's way out and back, not the ingress.
  HEARTH_INGRESS: "off",
  HEARTH_IMAGE_MASTODON_POSTGRES: real.postgres.tag,
  HEARTH_IMAGE_REDIS: real.redis.tag,
  HEARTH_SECRET_KEY: randomBytes(32).toString("base64"),
  HEARTH_EXPORTS_DIR: exportsDir,
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "1",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "600",
  HEARTH_PROVISION_MAX_ATTEMPTS: "6",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "1",
});

// Imported after the environment is set (they read it when first used).
const { db } = await import("@/server/db/client");
const { labelFilters } = await import("@/server/docker/labels");
const { buildStandIns } = await import("@/server/provisioning/testing/standin-images");
const { converge, seedCommunity } = await import("@/server/provisioning/testing/fixtures");
const { setDesiredState } = await import("@/server/provisioning/set-desired-state");
const { stopQueue } = await import("@/server/provisioning/queue");
const { execIn } = await import("@/server/provisioning/container-io");
const { listLabelled, removeLabelled, tenantContainersByComponent } = await import("@/server/provisioning/docker-objects");
const { exportInstance } = await import("@/server/exports/export-instance");
const { restoreInstance } = await import("@/server/exports/restore-instance");
const { verifyExport } = await import("@/server/exports/verify-export");
const { tcpCheckingMastodon } = await import("@/server/exports/testing/standins");

const docker = new Docker();
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

/** Time and the peak resident memory of this process while `work` runs (sampled every 100 ms). */
async function measure<T>(label: string, work: () => Promise<T>): Promise<T> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`${label.padEnd(10)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s   peak RSS of Hearth ${mb(peak)}`);
  }
}

async function sh(container: string, script: string, timeout = 6 * 3600) {
  const r = await execIn(docker, container, ["sh", "-c", script], timeout);
  if (r.exitCode !== 0) throw new Error(`${script.slice(0, 80)}: ${r.stderr}`);
  return r.stdout.trim();
}

const standIns = await buildStandIns(run, docker);
try {
  await tcpCheckingMastodon(docker, standIns.tags.mastodon, { "hearth.test": run });
  const { community, plan } = await seedCommunity("MASTODON", "b");
  // A plan big enough for the data: on the 1 GB test plan the database gets about 200 MB of
  // memory, and PostgreSQL's index builds (CREATE INDEX here, pg_restore's alike) are killed.
  await db.plan.update({ where: { id: plan.id }, data: { memoryMb: 8192, cpuMillis: 2000, diskGb: 100 } });
  await setDesiredState(community.id, "running");
  if ((await converge(community.id, 600_000)).outcome !== "succeeded") throw new Error("provisioning failed");
  const byComponent = await tenantContainersByComponent(docker, community.id);
  const dbc = byComponent.get("db")!.name;
  const web = byComponent.get("web")!.name;
  const psql = (sql: string) => sh(dbc, `psql -X -q -A -t -v ON_ERROR_STOP=1 -U mastodon -d mastodon -c "${sql}"`);

  console.log(`generating: a database of about ${dbMB} MB and ${mediaMB} MB of media`);
  await psql("CREATE TABLE bench_posts (id bigserial PRIMARY KEY, account_id int, text text, created_at timestamptz DEFAULT now())");
  // A table of its own (the stand-in's migrations make a small statuses table). About 330 bytes
  // a row on disk (a 256-character text of md5s, half as much compressed).
  const rows = Math.round((dbMB * 1024 ** 2) / 330);
  for (let done = 0; done < rows; done += 1_000_000) {
    await psql(`INSERT INTO bench_posts (account_id, text) SELECT g % 1000, repeat(md5(g::text || random()::text), 8) FROM generate_series(1, ${Math.min(1_000_000, rows - done)}) g`);
  }
  await psql("CREATE INDEX ON bench_posts (account_id)");
  const files = Math.max(1, Math.round(mediaMB / 8));
  await sh(web, `mkdir -p /mastodon/public/system/media && i=0; while [ $i -lt ${files} ]; do head -c 8388608 /dev/urandom > /mastodon/public/system/media/f$i; i=$((i+1)); done`);
  const dbBytes = Number(await psql("SELECT pg_database_size('mastodon')"));
  const mediaKB = Number((await sh(web, "du -sk /mastodon/public/system")).split(/\s/)[0]);
  console.log(`database ${mb(dbBytes)} (${rows} rows), media ${mb(mediaKB * 1024)} in ${files} files`);

  const exported = await measure("export", () => exportInstance(community.id, () => {}));
  console.log(`archive    ${mb(exported.size)}`);
  const verified = await measure("verify", () => verifyExport(community.id, exported.name));
  if (!verified.ok) throw new Error(`verification failed: ${verified.summary}`);
  await psql("DELETE FROM bench_posts WHERE id % 2 = 0");
  await measure("restore", () => restoreInstance(community.id, exported.name, () => {}));
  const count = Number(await psql("SELECT count(*) FROM bench_posts"));
  if (count !== rows) throw new Error(`restored ${count} rows, expected ${rows}`);
  console.log(`restored   ${count} rows, as exported (restore includes its own export of the current state first)`);
} finally {
  await removeLabelled(docker, await listLabelled(docker, await labelFilters())).catch(() => {});
  await standIns.remove();
  await stopQueue();
  await db.$disconnect();
  rmSync(exportsDir, { recursive: true, force: true });
  await dropTestDatabase(databaseUrl).catch(() => {});
  await server.stop();
}
