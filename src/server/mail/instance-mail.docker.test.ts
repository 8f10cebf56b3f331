// Instance mail on the real Docker engine with the stand-in images: a Mastodon instance gets the
// host's relay in its SMTP_* variables; a Sharkey instance gets it through the admin API
// (admin/update-meta with the admin account's token, answered and recorded by the stand-in).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { execIn } from "@/server/provisioning/container-io";
import { listLabelled, removeLabelled } from "@/server/provisioning/docker-objects";
import { objectName } from "@/server/provisioning/naming";
import { installationId } from "@/server/docker/labels";
import { stopQueue } from "@/server/provisioning/queue";
import { setDesiredState } from "@/server/provisioning/set-desired-state";
import { converge, instanceOf, seedCommunity } from "@/server/provisioning/testing/fixtures";
import { buildStandIns, standInEnv, type StandIns } from "@/server/provisioning/testing/standin-images";
import { getInstanceRelay, INSTANCE_MAIL_SETTING } from "./instance-mail";
import { updateInstanceRelay } from "./update-instance-relay";
import { makeUser } from "@/server/testing/fixtures";

const run = randomBytes(4).toString("hex");
Object.assign(process.env, standInEnv(run), {
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
  HEARTH_HEALTH_TIMEOUT_SECONDS: "60",
  HEARTH_PROVISION_MAX_ATTEMPTS: "2",
  HEARTH_PROVISION_RETRY_BASE_SECONDS: "0.5",
  // The relay settings are what this tests; the ingress has its own docker tests.
  HEARTH_INGRESS: "off",
});

let standIns: StandIns | undefined;
const origin = { ip: "127.0.0.1", userAgent: "vitest" };

beforeAll(async () => {
  standIns = await buildStandIns(run);
  const admin = await makeUser({ isHostAdmin: true });
  await updateInstanceRelay(admin, origin, {
    host: "relay.example.org",
    port: 2525,
    tls: "starttls",
    user: "instances",
    password: "relay-secret-1",
    clearPassword: false,
    from: "notifications@{domain}",
  });
}, 120_000);

afterAll(async () => {
  await db.setting.deleteMany({ where: { key: INSTANCE_MAIL_SETTING } });
  await removeLabelled(docker(), await listLabelled(docker(), await labelFilters())).catch(() => {});
  await standIns?.remove();
  await stopQueue();
  await db.$disconnect();
}, 120_000);

async function env(name: string): Promise<Record<string, string>> {
  const info = await docker().getContainer(name).inspect();
  return Object.fromEntries((info.Config.Env ?? []).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

describe("mail for instances", () => {
  it("keeps the relay's password sealed and shows the admin everything else", async () => {
    const row = await db.setting.findUniqueOrThrow({ where: { key: INSTANCE_MAIL_SETTING } });
    expect(JSON.stringify(row.value)).not.toContain("relay-secret-1");
    expect(await getInstanceRelay()).toEqual({
      host: "relay.example.org",
      port: 2525,
      tls: "starttls",
      user: "instances",
      hasPassword: true,
      from: "notifications@{domain}",
      source: "host setting",
    });
  });

  it("gives a Mastodon instance its SMTP_* variables, the sender on its own domain", async () => {
    const { community } = await seedCommunity("MASTODON", "mail");
    await setDesiredState(community.id, "running");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    const tenant = { installationId: await installationId(), tenantId: community.id, slug: community.slug };
    const domain = `${community.slug}.${process.env.HEARTH_BASE_DOMAIN ?? "hearth.localhost"}`;
    for (const component of ["web", "sidekiq"]) {
      expect(await env(objectName(tenant, component)), component).toMatchObject({
        SMTP_SERVER: "relay.example.org",
        SMTP_PORT: "2525",
        SMTP_LOGIN: "instances",
        SMTP_PASSWORD: "relay-secret-1",
        SMTP_AUTH_METHOD: "plain",
        SMTP_ENABLE_STARTTLS: "always",
        SMTP_FROM_ADDRESS: `notifications@${domain}`,
      });
    }
    await setDesiredState(community.id, "deleted");
    await converge(community.id);
  }, 180_000);

  it("sets a Sharkey instance's mail through admin/update-meta after setup, with the admin's token", async () => {
    const { community } = await seedCommunity("SHARKEY", "mail");
    await setDesiredState(community.id, "running");
    expect((await converge(community.id)).outcome).toBe("succeeded");
    const instance = await instanceOf(community.id);
    const credential = await db.instanceAdminCredential.findUniqueOrThrow({ where: { instanceId: instance.id }, omit: { apiTokenSealed: false } });
    expect(credential.apiTokenSealed).toMatch(/^v1\./);

    const tenant = { installationId: await installationId(), tenantId: community.id, slug: community.slug };
    const web = objectName(tenant, "web");
    const recorded = await execIn(docker(), web, ["cat", "/sharkey/files/.standin-meta.json"]);
    expect(recorded.exitCode).toBe(0);
    // The stand-in records the settings only when "i" is its root account's token (kept in the
    // tenant's database, as upstream keeps it), so a recorded file means Hearth sent the right one.
    const token = expect.stringMatching(/^[0-9a-f]{16}$/);
    const domain = `${community.slug}.${process.env.HEARTH_BASE_DOMAIN ?? "hearth.localhost"}`;
    expect(JSON.parse(recorded.stdout)).toEqual({
      i: token,
      enableEmail: true,
      email: `notifications@${domain}`,
      smtpSecure: false,
      smtpHost: "relay.example.org",
      smtpPort: 2525,
      smtpUser: "instances",
      smtpPass: "relay-secret-1",
    });
    const steps = await db.instanceStep.findMany({ where: { run: { instanceId: instance.id }, key: "mail" } });
    expect(steps.map((s) => [s.state, s.detail])).toEqual([["SUCCEEDED", `Mail through relay.example.org:2525 as notifications@${domain}`]]);

    // The stand-in answers as upstream does to a missing or wrong credential.
    const address = (await db.instance.findUniqueOrThrow({ where: { id: instance.id } })).webAddress!;
    const wrong = await fetch(`http://${address}/api/admin/update-meta`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ i: "nope", enableEmail: false }) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "AUTHENTICATION_FAILED" } });
    await setDesiredState(community.id, "deleted");
    await converge(community.id);
  }, 180_000);
});
