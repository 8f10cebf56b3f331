// Provisioning against the real Docker engine, on the real PostgreSQL and Redis images and the
// app stand-ins (see testing/standin-images.ts): the whole lifecycle with a three-phase upgrade,
// tenant isolation, plan limits, hardening, volume ownership, the Sharkey admin retry, a missing
// image, the reaper, and a worker process killed with SIGKILL during the database's first start.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toActor } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { installationId, LABEL, labelFilters } from "@/server/docker/labels";
import { AppError } from "@/server/errors/app-error";
import { execIn } from "./container-io";
import { listLabelled, removeLabelled } from "./docker-objects";
import { objectName } from "./naming";
import { registerInstanceExporter } from "./export-hook";
import { getInstanceTimeline } from "./get-instance-timeline";
import { stopQueue } from "./queue";
import { reapOrphans } from "./reap-orphans";
import { reconcileInstance } from "./reconcile-instance";
import { retryInstanceNow } from "./retry-instance";
import { revealAdminCredentials } from "./reveal-admin-credentials";
import { unsealSecrets } from "./secrets";
import { setDesiredState } from "./set-desired-state";
import { imagesForVersion } from "@/server/settings/image-versions";
import { instanceImagesSchema } from "./images";
import { converge, countObjects, instanceOf, seedCommunity, tenantObjects, tenantSql } from "./testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "./testing/standin-images";

const run = randomBytes(4).toString("hex");
// Read lazily by env(), so setting them here (before any test runs) configures every module,
// and the worker processes spawned below inherit them.
Object.assign(process.env, standInEnv(run), {
  // These tests are about the containers; the way in through the ingress is src/server/provisioning/ingress's.
  HEARTH_INGRESS: "off",
  HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "240",
  HEARTH_PROVISION_MAX_ATTEMPTS: "2",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "0.5",
  HEARTH_RECONCILE_INTERVAL_SECONDS: "3",
});

let standIns: StandIns | undefined;

beforeAll(async () => {
  // The real PostgreSQL and Redis images are built once per machine (minutes on a fresh one).
  standIns = await buildStandIns(run);
  // The version a Mastodon instance is upgraded from below.
  await standIns.version("mastodon", "v4.6.8");
  await standIns.version("mastodon-streaming", "v4.6.8");
}, 20 * 60_000);

afterAll(async () => {
  // Whatever a failed test left behind: every object of this run's installation (fresh database).
  // A pass a failed test left running would go on creating objects, so let it finish first.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await db.instanceRun.count({ where: { state: "RUNNING" } })) > 0) {
    await new Promise((r) => setTimeout(r, 250));
  }
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await stopQueue();
  await db.$disconnect();
}, 120_000);

async function inspect(name: string) {
  return docker().getContainer(name).inspect();
}

async function containersOf(communityId: string) {
  const { containers } = await tenantObjects(communityId);
  return Object.fromEntries(containers.map((c) => [c.Labels[LABEL.component] ?? "?", c]));
}

const expectAppError = async (promise: Promise<unknown>, code: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
};

/** Runs `script` in the container as its own user (991 for the apps); the exit code and output. */
const shell = (container: string, script: string) => execIn(docker(), container, ["sh", "-c", script]);

describe("a Mastodon instance on the real engine", () => {
  it("provisions healthy within the plan's limits, upgrades in three phases, stops, starts with its data, and deletes without a trace", async () => {
    const { community, owner, plan } = await seedCommunity("MASTODON", "m");
    await setDesiredState(community.id, "running");
    const { id, images } = await instanceOf(community.id);
    // Start one version behind, to upgrade below.
    const older = imagesForVersion(instanceImagesSchema.parse(images), "v4.6.8");
    await db.instance.update({ where: { id }, data: { images: older } });

    // Two passes at once: one works, the other sees the lock and steps aside.
    const outcomes = (await Promise.all([reconcileInstance(id), reconcileInstance(id)])).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(["busy", "succeeded"]);

    const instance = await db.instance.findUniqueOrThrow({ where: { id }, omit: { secretsSealed: false } });
    expect(instance.phase).toBe("RUNNING");
    expect((await db.community.findUniqueOrThrow({ where: { id: community.id } })).status).toBe("LIVE");

    // Every component exists once; the long-running ones are healthy, migrations exited 0.
    const containers = await containersOf(community.id);
    expect(Object.keys(containers).sort()).toEqual(["db", "migrate", "post-migrate", "redis", "sidekiq", "streaming", "web"]);
    for (const [component, summary] of Object.entries(containers)) {
      const info = await inspect(summary.Id);
      // Every capability dropped; only the data images' entrypoints get a few back.
      expect(info.HostConfig.CapDrop, component).toEqual(["ALL"]);
      expect(info.HostConfig.ReadonlyRootfs, component).toBe(true);
      if (component === "migrate" || component === "post-migrate") {
        expect(info.State, component).toMatchObject({ Status: "exited", ExitCode: 0 });
        continue;
      }
      expect(info.State.Health?.Status, component).toBe("healthy");
      // Limits from the plan, and nothing dangerous.
      const spec = { db: 0.2, redis: 0.1, web: 0.35, streaming: 0.1, sidekiq: 0.25 }[component] ?? 0;
      expect(info.HostConfig.Memory, component).toBe(Math.floor(plan.memoryMb * spec) * 1024 * 1024);
      expect(info.HostConfig.NanoCpus, component).toBe(Math.round(plan.cpuMillis * spec * 1_000_000));
      expect(info.HostConfig.PidsLimit, component).toBeGreaterThan(0);
      expect(info.HostConfig.Privileged).toBe(false);
      expect(info.HostConfig.RestartPolicy?.Name).toBe("unless-stopped");
      expect(info.Mounts.map((m) => m.Source ?? "").join(" ")).not.toContain("docker.sock");
      expect(info.Config.Labels).toMatchObject({ [LABEL.tenant]: community.id, [LABEL.component]: component });
    }
    const web = containers.web?.Id ?? "";
    const sidekiq = containers.sidekiq?.Id ?? "";
    // The app processes run as 991 with no capability at all, on a root they cannot write.
    expect((await shell(web, "id -u; grep CapEff /proc/self/status")).stdout).toMatch(/^991\nCapEff:\s+0+\n$/);
    expect(await shell(web, "touch /opt/mastodon/app-file")).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/Read-only file system/) });
    // The media volume is theirs: uploads can be written, by web and by sidekiq.
    expect(await shell(web, "stat -c '%u:%g' /mastodon/public/system && echo cat > /mastodon/public/system/upload")).toMatchObject({ exitCode: 0, stdout: "991:991\n" });
    expect((await shell(sidekiq, "echo processed > /mastodon/public/system/processed")).exitCode).toBe(0);
    // PostgreSQL and Redis run as their own users (999), not as root.
    for (const [component, command] of [["db", "postgres"], ["redis", "redis-server"]] as const) {
      const top = await docker().getContainer(containers[component]?.Id ?? "").top({ ps_args: "-o pid,uid,comm" });
      const procs = (top.Processes ?? []).filter((p: string[]) => p[2] === command);
      expect(procs.length, component).toBeGreaterThan(0);
      expect(procs.every((p: string[]) => p[1] === "999"), component).toBe(true);
    }
    // The memory-aware settings reached puma and sidekiq (puma's default of 2 workers would have been killed).
    expect((await inspect(web)).Config.Env).toEqual(expect.arrayContaining(["WEB_CONCURRENCY=0", "MAX_THREADS=5"]));
    expect((await shell(sidekiq, "ps -eo args")).stdout).toMatch(/sidekiq 7\.3\.9 mastodon \[0 of 17 busy\]/);

    // The database and Redis sit on the internal network only; the app also on the tenant network.
    const dbNetworks = Object.keys((await inspect(containers.db?.Id ?? "")).NetworkSettings.Networks);
    const webNetworks = Object.keys((await inspect(web)).NetworkSettings.Networks);
    expect(dbNetworks).toHaveLength(1);
    expect(dbNetworks[0]).toMatch(/-net-internal$/);
    expect(webNetworks.sort()).toEqual([dbNetworks[0], dbNetworks[0]?.replace(/internal$/, "tenant")].sort());
    const internal = await docker().getNetwork(dbNetworks[0] ?? "").inspect();
    expect(internal.Internal).toBe(true);

    // Published on 127.0.0.1 with ephemeral ports, recorded, answering their health paths.
    expect(instance.webAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(instance.streamingAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await (await fetch(`http://${instance.webAddress}/health`)).text()).trim()).toBe("OK");
    expect((await (await fetch(`http://${instance.streamingAddress}/api/v1/streaming/health`)).text()).trim()).toBe("OK");

    // Secrets reach the containers and are stored only sealed.
    const webEnv = (await inspect(web)).Config.Env;
    const secretKeyBase = webEnv.find((e) => e.startsWith("SECRET_KEY_BASE="))?.split("=")[1] ?? "";
    expect(secretKeyBase).toMatch(/^[0-9a-f]{128}$/);
    expect(instance.secretsSealed).not.toContain(secretKeyBase);
    const secrets = unsealSecrets(id, instance.secretsSealed ?? "");
    expect(secrets.mastodon?.secretKeyBase).toBe(secretKeyBase);
    // Redis's password is in its config file, on no command line.
    const redisInfo = await inspect(containers.redis?.Id ?? "");
    expect(JSON.stringify([redisInfo.Path, redisInfo.Args])).not.toContain(secrets.redisPassword);

    // The organiser's admin account: created with tootctl, shown once, to the owner only.
    const stranger = toActor(await db.user.create({ data: { email: `stranger.${run}@example.org`, name: null } }));
    const admin = toActor(await db.user.create({ data: { email: `admin.${run}@example.org`, name: null } }));
    await db.membership.create({ data: { communityId: community.id, userId: admin.id, role: "ADMIN" } });
    const hostAdmin = { ...stranger, isHostAdmin: true };
    await expectAppError(revealAdminCredentials(community.id, stranger), "NOT_FOUND");
    await expectAppError(revealAdminCredentials(community.id, admin), "FORBIDDEN");
    await expectAppError(revealAdminCredentials(community.id, hostAdmin), "FORBIDDEN");
    const credentials = await revealAdminCredentials(community.id, owner);
    expect(credentials.email).toBe(owner.email);
    expect(credentials.password).toMatch(/^[A-Za-z0-9]{32}$/);
    await expectAppError(revealAdminCredentials(community.id, owner), "CONFLICT");
    // A row of the tenant's real database.
    expect(await tenantSql(community.id, `SELECT role, approved FROM accounts WHERE username = '${credentials.username}'`)).toBe("Owner|t");

    // The timeline: members and host admins see each step; anyone else gets "not found".
    const timeline = await getInstanceTimeline(community.id, owner);
    const provision = timeline?.runs[0];
    expect(provision?.kind).toBe("PROVISION");
    expect(provision?.state).toBe("SUCCEEDED");
    expect(provision?.steps.map((s) => s.key)).toEqual(
      expect.arrayContaining(["secrets", "networks", "volumes", "start:db", "run:migrate", "start:web", "run:post-migrate", "addresses", "admin-account"]),
    );
    expect(provision?.steps.every((s) => s.state === "SUCCEEDED" && s.durationMs >= 0)).toBe(true);
    expect(timeline?.adminCredentials).toBe("shown");
    await expectAppError(getInstanceTimeline(community.id, stranger), "NOT_FOUND");
    expect(await getInstanceTimeline(community.id, hostAdmin)).not.toBeNull();
    expect(await getInstanceTimeline(community.id, admin)).not.toBeNull();
    // A first start loads the whole schema: both phases of the version it runs.
    expect(await tenantSql(community.id, "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations")).toBe("v4.6.8-post,v4.6.8-pre");

    // The upgrade, in Mastodon's three phases: the pre-deployment migrations while the old web
    // still serves, then the new processes, then the post-deployment migrations.
    const oldWeb = await inspect(web);
    await db.instance.update({ where: { id }, data: { images: imagesForVersion(older, "v4.7.2"), desiredGeneration: { increment: 1 } } });
    expect((await converge(community.id)).outcome).toBe("succeeded");
    const upgraded = await containersOf(community.id);
    const newWeb = await inspect(upgraded.web?.Id ?? "");
    expect(newWeb.Config.Image).toMatch(/mastodon:v4\.7\.2$/);
    expect((await inspect(upgraded.streaming?.Id ?? "")).Config.Image).toMatch(/mastodon-streaming:v4\.7\.2$/);
    const applied = Object.fromEntries(
      (await tenantSql(community.id, "SELECT version, extract(epoch FROM applied_at) FROM schema_migrations WHERE version LIKE 'v4.7.2-%'"))
        .split("\n")
        .map((line) => line.split("|") as [string, string]),
    );
    const preAt = Number(applied["v4.7.2-pre"]) * 1000;
    const postAt = Number(applied["v4.7.2-post"]) * 1000;
    expect(preAt).toBeGreaterThan(Date.parse(oldWeb.State.StartedAt));
    expect(preAt).toBeLessThan(Date.parse(newWeb.State.StartedAt));
    expect(postAt).toBeGreaterThan(Date.parse(newWeb.State.StartedAt));
    const upgrade = (await getInstanceTimeline(community.id, owner))?.runs[0];
    const step = (key: string) => upgrade?.steps.find((s) => s.key === key);
    expect(step("run:migrate")?.detail).toBe("Finished");
    expect(step("run:post-migrate")?.detail).toBe("Finished");

    // Stop (a suspension): nothing runs, everything is kept.
    await setDesiredState(community.id, "stopped");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    expect((await instanceOf(community.id)).phase).toBe("STOPPED");
    expect((await db.community.findUniqueOrThrow({ where: { id: community.id } })).status).toBe("SUSPENDED");
    const stopped = await tenantObjects(community.id);
    expect(stopped.containers.filter((c) => c.State === "running")).toEqual([]);
    expect(await countObjects(community.id)).toEqual({ containers: 7, networks: 2, volumes: 3 });

    // Start again: healthy, same data, new addresses recorded, no second admin account.
    await setDesiredState(community.id, "running");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    const restarted = await instanceOf(community.id);
    expect(restarted.phase).toBe("RUNNING");
    expect((await (await fetch(`http://${restarted.webAddress}/health`)).text()).trim()).toBe("OK");
    expect(await tenantSql(community.id, "SELECT count(*) FROM accounts")).toBe("1");
    expect((await shell(upgraded.web?.Id ?? "", "cat /mastodon/public/system/upload")).stdout).toBe("cat\n");
    const afterStart = await getInstanceTimeline(community.id, owner);
    expect(afterStart?.runs.map((r) => r.kind)).toEqual(["START", "STOP", "START", "PROVISION"]);
    expect(afterStart?.runs[0]?.steps.map((s) => s.key)).not.toContain("admin-account");

    // Delete: no container, network or volume of the tenant is left; the secrets are gone.
    await setDesiredState(community.id, "deleted");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    const deleted = await db.instance.findUniqueOrThrow({ where: { id }, omit: { secretsSealed: false } });
    expect(deleted).toMatchObject({ phase: "DELETED", secretsSealed: null, webAddress: null });
  }, 600_000);
});

describe("Misskey-family instances side by side", () => {
  it("keep tenants apart, write the config file, create the first admin, repair drift, export before delete", async () => {
    const a = await seedCommunity("MISSKEY", "a");
    const b = await seedCommunity("SHARKEY", "b");
    await setDesiredState(a.community.id, "running");
    await setDesiredState(b.community.id, "running");
    const results = await Promise.all([converge(a.community.id), converge(b.community.id)]);
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "succeeded"]);

    const aContainers = await containersOf(a.community.id);
    const bContainers = await containersOf(b.community.id);
    expect(Object.keys(aContainers).sort()).toEqual(["db", "redis", "web"]);
    const aWeb = aContainers.web?.Id ?? "";
    const bDb = await inspect(bContainers.db?.Id ?? "");
    const bDbName = bDb.Name.replace(/^\//, "");
    const bDbIp = Object.values(bDb.NetworkSettings.Networks)[0]?.IPAddress ?? "";
    expect(bDbIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    // From inside A: its own database answers (by its alias), B's does not, by name or by address.
    const probe = (container: string, host: string) => execIn(docker(), container, ["pg_isready", "-h", host, "-p", "5432", "-t", "2"]);
    expect((await probe(aWeb, "db")).exitCode).toBe(0);
    expect((await probe(aWeb, bDbName)).exitCode).not.toBe(0);
    expect((await probe(aWeb, bDbIp)).exitCode).not.toBe(0);
    expect((await probe(aContainers.db?.Id ?? "", bDbIp)).exitCode).not.toBe(0);
    // The control: B's web reaches B's database at that same address.
    expect((await probe(bContainers.web?.Id ?? "", bDbIp)).exitCode).toBe(0);

    // The generated config file, in place before the first start, readable only by the app's user.
    const config = await execIn(docker(), aWeb, ["stat", "-c", "%a %u", "/misskey/.config/default.yml"]);
    expect(config.stdout.trim()).toBe("440 991");
    const yml = (await execIn(docker(), bContainers.web?.Id ?? "", ["cat", "/sharkey/.config/default.yml"])).stdout;
    expect(yml).toContain(`url: 'https://${b.community.slug}.hearth.localhost/'`);

    // The files folder (which the images do not have) is the app's before its first start:
    // uploads can be written, by the app's own user.
    for (const [web, root] of [[aWeb, "/misskey"], [bContainers.web?.Id ?? "", "/sharkey"]] as const) {
      expect(await shell(web, `id -u; stat -c '%u:%g' ${root}/files && echo avatar > ${root}/files/upload`), root).toMatchObject({ exitCode: 0, stdout: "991\n991:991\n" });
      // No capability at all, on the real engine; the data containers only what their entrypoints need.
      expect((await shell(web, "grep CapEff /proc/self/status")).stdout, root).toMatch(/^CapEff:\s+0+\n$/);
      expect((await inspect(web)).HostConfig, root).toMatchObject({ CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges"] });
    }
    expect((await inspect(aContainers.db?.Id ?? "")).HostConfig).toMatchObject({ CapDrop: ["ALL"], CapAdd: ["CHOWN", "FOWNER", "SETUID", "SETGID"], ReadonlyRootfs: true });

    // The first admin, through the API with the setup password; shown once; a root user in the real database.
    const credentials = await revealAdminCredentials(a.community.id, a.owner);
    expect(credentials.password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await tenantSql(a.community.id, `SELECT username FROM "user" WHERE "isRoot"`)).toBe(credentials.username);

    // A crash after Sharkey created its admin but before Hearth recorded it: the retry's second
    // anonymous call is answered CREDENTIAL_REQUIRED (401), and the admin is known to be ours.
    const bInstance = await instanceOf(b.community.id);
    await db.instanceAdminCredential.update({ where: { instanceId: bInstance.id }, data: { confirmedAt: null } });
    await setDesiredState(b.community.id, "stopped");
    expect((await converge(b.community.id)).outcome).toBe("succeeded");
    await setDesiredState(b.community.id, "running");
    expect((await converge(b.community.id)).outcome).toBe("succeeded");
    const retried = (await getInstanceTimeline(b.community.id, b.owner))?.runs[0]?.steps.find((s) => s.key === "admin-account");
    expect(retried).toMatchObject({ state: "SUCCEEDED", detail: expect.stringMatching(/in an earlier attempt/) });
    expect(await tenantSql(b.community.id, `SELECT count(*) FROM "user" WHERE "isRoot"`)).toBe("1");

    // Drift: a container removed behind Hearth's back comes back in a repair run.
    await docker().getContainer(aWeb).remove({ force: true });
    expect((await reconcileInstance((await instanceOf(a.community.id)).id)).outcome).toBe("succeeded");
    const repaired = await containersOf(a.community.id);
    expect((await inspect(repaired.web?.Id ?? "")).State.Health?.Status).toBe("healthy");
    const timeline = await getInstanceTimeline(a.community.id, a.owner);
    expect(timeline?.runs[0]?.kind).toBe("REPAIR");

    // Deletion with an export first: without an exporter nothing is deleted and the error says why.
    await setDesiredState(a.community.id, "deleted", { exportFirst: true });
    expect((await converge(a.community.id)).outcome).toBe("failed");
    const blocked = await instanceOf(a.community.id);
    expect(blocked.phase).toBe("ERROR");
    expect(blocked.lastError).toMatch(/exports are not available yet\. Nothing was deleted/);
    expect((await countObjects(a.community.id)).volumes).toBe(3);
    // With an exporter registered, a retry exports, then deletes.
    const exported: string[] = [];
    registerInstanceExporter(async ({ communityId }) => {
      exported.push(communityId);
    });
    try {
      await retryInstanceNow(a.community.id);
      expect((await converge(a.community.id)).outcome).toBe("succeeded");
    } finally {
      registerInstanceExporter(undefined);
    }
    expect(exported).toEqual([a.community.id]);
    expect(await countObjects(a.community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });

    await setDesiredState(b.community.id, "deleted");
    expect((await converge(b.community.id)).outcome).toBe("succeeded");
    expect(await countObjects(b.community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 400_000);
});

describe("failures", () => {
  it("an image that does not exist ends in an error a person can act on, with nothing left on the host", async () => {
    const { community } = await seedCommunity("MASTODON", "x");
    await setDesiredState(community.id, "running");
    const missing = `hearth-test/does-not-exist:${run}`;
    const { id, images } = await instanceOf(community.id);
    await db.instance.update({ where: { id }, data: { images: { ...(images as object), app: missing } } });

    expect((await converge(community.id)).outcome).toBe("failed");
    const instance = await instanceOf(community.id);
    expect(instance.phase).toBe("ERROR");
    expect(instance.lastError).toContain(missing);
    expect(instance.lastError).toMatch(/failed 2 times/);
    expect(instance.lastError).toMatch(/tries again every \d+ minutes/);
    const run1 = await db.instanceRun.findFirstOrThrow({ where: { instanceId: id }, include: { steps: true } });
    expect(run1).toMatchObject({ state: "FAILED", failures: 2 });
    expect(run1.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now() + 60_000);
    const pull = run1.steps.find((s) => s.key === `image:${missing}`);
    expect(pull).toMatchObject({ state: "FAILED", attempts: 2 });
    // Images are checked before anything is created, so nothing was made for this tenant.
    expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });

    // A new request supersedes the failed one.
    await setDesiredState(community.id, "deleted");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    expect((await instanceOf(community.id)).phase).toBe("DELETED");
  }, 300_000);

  it("a desired state that changes mid-run replaces the run at the next stage, and nothing is lost", async () => {
    const { community } = await seedCommunity("MISSKEY", "s");
    await setDesiredState(community.id, "running");
    const { id } = await instanceOf(community.id);
    const provisioning = converge(community.id);
    while (!(await db.instanceStep.findFirst({ where: { run: { instanceId: id }, key: "start:db", state: "RUNNING" } }))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await setDesiredState(community.id, "stopped");
    expect((await provisioning).outcome).toBe("succeeded");
    const runs = await db.instanceRun.findMany({ where: { instanceId: id }, orderBy: { seq: "asc" } });
    expect(runs.map((r) => [r.kind, r.state])).toEqual([
      ["PROVISION", "SUPERSEDED"],
      ["STOP", "SUCCEEDED"],
    ]);
    expect((await instanceOf(community.id)).phase).toBe("STOPPED");
    expect((await tenantObjects(community.id)).containers.filter((c) => c.State === "running")).toEqual([]);
    // Running again later is a first provisioning that finishes what the replaced run began.
    await setDesiredState(community.id, "running");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    expect((await db.instanceRun.findFirstOrThrow({ where: { instanceId: id }, orderBy: { seq: "desc" } })).kind).toBe("PROVISION");
    expect((await countObjects(community.id)).containers).toBe(3);
    await setDesiredState(community.id, "deleted");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 300_000);

  it("the reaper removes this installation's objects of a deleted community, and nothing of others", async () => {
    const { community } = await seedCommunity("MISSKEY", "r");
    await setDesiredState(community.id, "running");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    // An object with the same tenant label from another installation must survive.
    const foreign = await docker().createNetwork({
      Name: `hearth-test-foreign-${run}`,
      Labels: { [LABEL.installation]: `other-${run}`, [LABEL.tenant]: community.id, [LABEL.component]: "test" },
    });
    try {
      await db.community.delete({ where: { id: community.id } });
      expect(await reapOrphans()).toBe(3 + 2 + 3);
      expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
      expect((await foreign.inspect()).Name).toBe(`hearth-test-foreign-${run}`);
    } finally {
      await foreign.remove();
    }
  }, 300_000);
});

describe("the worker process", () => {
  const workers: ChildProcess[] = [];
  afterAll(() => {
    for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  });

  function startWorker() {
    // node itself runs the worker (not the tsx launcher), so the pid is the worker's own.
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "src/worker/main.ts"], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (c) => (output += c));
    child.stderr?.on("data", (c) => (output += c));
    workers.push(child);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  async function until<T>(read: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("killed with SIGKILL during the database's first start, a new worker finishes the same run with no duplicates", async () => {
    const { community } = await seedCommunity("MASTODON", "k");
    const first = startWorker();
    await setDesiredState(community.id, "running");
    const { id } = await instanceOf(community.id);

    // Kill it while the real PostgreSQL initialises its data folder (initdb, then the temporary
    // server that creates the role and database): the container runs, and is not healthy yet.
    const killedAt = await until(
      () => db.instanceStep.findFirst({ where: { run: { instanceId: id }, key: "start:db", state: "RUNNING" } }),
      180_000, // a worker process starting on a loaded 2-core machine (another CI run beside it) is slow
      "the worker to reach start:db",
    );
    const dbName = objectName({ installationId: await installationId(), tenantId: community.id, slug: community.slug }, "db");
    const running = await until(
      async () => {
        const info = await docker().getContainer(dbName).inspect().catch(() => null);
        return info?.State.Running ? info : null;
      },
      60_000,
      "the database container to run",
    );
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();
    expect(running.State.Health?.Status).not.toBe("healthy");
    expect((await instanceOf(community.id)).phase).toBe("PROVISIONING");

    const second = startWorker();
    await until(async () => (await instanceOf(community.id)).phase === "RUNNING", 180_000, "the instance to run");

    const runs = await db.instanceRun.findMany({ where: { instanceId: id }, include: { steps: true } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: "PROVISION", state: "SUCCEEDED", failures: 0 });
    // The stage in flight when it died (PostgreSQL and Redis) ran again in the same run, on the
    // same rows; everything before it was done once, everything after it once.
    const steps = runs[0]?.steps ?? [];
    expect(steps.find((s) => s.key === "start:db")).toMatchObject({ id: killedAt.id, state: "SUCCEEDED", attempts: 2 });
    const repeated = steps.filter((s) => s.attempts > 1).map((s) => s.key);
    expect(["start:db", "start:redis"]).toEqual(expect.arrayContaining(repeated));
    for (const key of ["secrets", "networks", "volumes", "run:migrate", "start:web", "start:streaming", "start:sidekiq", "run:post-migrate"]) {
      expect(steps.find((s) => s.key === key)?.attempts, key).toBe(1);
    }
    expect(steps.every((s) => s.state === "SUCCEEDED")).toBe(true);

    // Exactly one of everything on the engine; the database was initialised once, and is usable.
    const objects = await tenantObjects(community.id);
    const components = objects.containers.map((c) => c.Labels[LABEL.component]).sort();
    expect(components).toEqual(["db", "migrate", "post-migrate", "redis", "sidekiq", "streaming", "web"]);
    expect(objects.networks).toHaveLength(2);
    expect(objects.volumes).toHaveLength(3);
    const dbLogs = (await docker().getContainer(dbName).logs({ stdout: true, stderr: true })).toString();
    expect(dbLogs.match(/init process complete/g)).toHaveLength(1);
    expect(await tenantSql(community.id, "SELECT count(*) FROM accounts WHERE role = 'Owner'")).toBe("1");
    expect(await db.instanceAdminCredential.count({ where: { instanceId: id, confirmedAt: { not: null } } })).toBe(1);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    await setDesiredState(community.id, "deleted");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    expect(await countObjects(community.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);
});
