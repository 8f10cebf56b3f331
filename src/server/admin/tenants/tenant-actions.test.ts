// Host-admin actions on tenants, against the real database: what each does, what it refuses
// (wrong confirmation, a tenant mid-provisioning, a deleted tenant), two admins at once, and
// the audit row every attempt leaves (who, what, when, from where, result).
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { adminState, makeTenant } from "@/server/admin/testing/fixtures";
import { makeUser, unique } from "@/server/testing/fixtures";
import type { Actor } from "@/server/auth/permissions";
import { TENANT_CONFLICT, type TenantActionContext } from "../tenant-action";
import { changeTenantPlan } from "./change-tenant-plan";
import { deleteTenant } from "./delete-tenant";
import { requestTenantOperation } from "./request-operation";
import { resumeTenant } from "./resume-tenant";
import { suspendTenant } from "./suspend-tenant";
import { upgradeTenant } from "./upgrade-tenant";
import { SETTING } from "@/server/settings/host-settings";

const enqueue = vi.hoisted(() => vi.fn<(instanceId: string) => Promise<void>>(async () => {}));
const setDesired = vi.hoisted(() =>
  vi.fn<(communityId: string, state: string) => Promise<{ instanceId: string; generation: number; changed: boolean }>>(async () => ({ instanceId: "x", generation: 1, changed: true })),
);
vi.mock("@/server/provisioning/queue", () => ({ enqueueReconcile: enqueue }));
// Only the call that would create an instance is replaced; requestState's own change
// (applyDesiredState) stays real.
vi.mock("@/server/provisioning/set-desired-state", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/provisioning/set-desired-state")>()),
  setDesiredState: setDesired,
}));

afterAll(() => db.$disconnect());

let admin: Actor;
let otherAdmin: Actor;
const origin = { ip: "203.0.113.5", userAgent: "Firefox/140 (test)" };
const as = (actor: Actor): TenantActionContext => ({ actor, origin });

beforeEach(async () => {
  enqueue.mockClear();
  setDesired.mockClear();
  admin ??= await makeUser({ isHostAdmin: true });
  otherAdmin ??= await makeUser({ isHostAdmin: true });
});

const fresh = (id: string) => db.community.findUniqueOrThrow({ where: { id }, include: { instance: true } });
const lastAudit = (communityId: string) => db.auditEvent.findFirstOrThrow({ where: { communityId }, orderBy: { createdAt: "desc" } });
const newPlan = (active = true) =>
  db.plan.create({ data: { slug: unique("plan"), name: "Bigger", memoryMb: 4096, cpuMillis: 2000, diskGb: 40, monthlyCost: 3000, active } });

describe("suspend and resume", () => {
  it("suspend stops the instance, marks the community, wakes the worker, and audits who and from where", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" }, funding: "FUNDED" });
    await suspendTenant(as(admin), { communityId: community.id, revision: community.revision });
    const after = await fresh(community.id);
    expect(after.status).toBe("SUSPENDED");
    expect(after.adminSuspendedAt).not.toBeNull();
    expect(after.revision).toBe(community.revision + 1);
    expect(after.instance).toMatchObject({ desiredState: "STOPPED", desiredGeneration: 2 });
    expect(enqueue).toHaveBeenCalledWith(after.instance!.id);
    expect(await lastAudit(community.id)).toMatchObject({
      actorId: admin.id,
      action: "tenant.suspended",
      result: "SUCCEEDED",
      ip: "203.0.113.5",
      userAgent: "Firefox/140 (test)",
    });
  });

  it("resume starts a funded tenant again, but leaves one that funding suspended stopped", async () => {
    const funded = await makeTenant({ instance: { phase: "STOPPED", desiredState: "STOPPED" }, funding: "FUNDED", adminSuspended: true });
    expect(await resumeTenant(as(admin), { communityId: funded.community.id, revision: 0 })).toMatchObject({ next: "start" });
    expect(await fresh(funded.community.id)).toMatchObject({ adminSuspendedAt: null, status: "PROVISIONING", instance: { desiredState: "RUNNING" } });

    const broke = await makeTenant({ instance: { phase: "STOPPED", desiredState: "STOPPED" }, funding: "SUSPENDED", adminSuspended: true });
    expect(await resumeTenant(as(admin), { communityId: broke.community.id, revision: 0 })).toMatchObject({ next: "funding-suspended" });
    expect(await fresh(broke.community.id)).toMatchObject({ adminSuspendedAt: null, status: "SUSPENDED", instance: { desiredState: "STOPPED" } });
  });

  it("resume of a funded tenant that never had an instance asks provisioning to set one up", async () => {
    const { community } = await makeTenant({ funding: "FUNDED", adminSuspended: true });
    expect(await resumeTenant(as(admin), { communityId: community.id, revision: 0 })).toMatchObject({ next: "create" });
    expect(setDesired).toHaveBeenCalledWith(community.id, "running");
  });

  it("refuses to suspend twice or resume what an admin did not suspend, and audits the refusal", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" }, adminSuspended: true });
    const before = await adminState();
    await expect(suspendTenant(as(admin), { communityId: community.id, revision: 0 })).rejects.toThrow(/already suspended/);
    const { community: running } = await makeTenant({ instance: { phase: "RUNNING" } });
    await expect(resumeTenant(as(admin), { communityId: running.id, revision: 0 })).rejects.toThrow(/not suspended by an admin/);
    expect(await lastAudit(community.id)).toMatchObject({ action: "tenant.suspended", result: "REFUSED", ip: origin.ip });
    expect((await adminState()).communities.find((c) => c.id === community.id)).toEqual(before.communities.find((c) => c.id === community.id));
  });
});

describe("delete", () => {
  it("refuses a wrong confirmation: nothing changes but the audit row saying so", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    for (const confirm of ["", "yes", community.slug.toUpperCase(), `${community.slug} `.repeat(2)]) {
      const before = await adminState();
      const error = await deleteTenant(as(admin), { communityId: community.id, revision: 0, confirm: confirm.trim(), exportFirst: false }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "UNPROCESSABLE", fields: { confirm: expect.stringMatching(/Type the address/) } });
      const after = await adminState();
      expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
      expect(after.audit).toBe(before.audit + 1);
    }
    expect(await lastAudit(community.id)).toMatchObject({ action: "tenant.deleted", result: "REFUSED" });
    expect(enqueue).not.toHaveBeenCalled();
  });

  it("takes a running instance down and hides the community; removes one that never ran", async () => {
    const live = await makeTenant({ instance: { phase: "RUNNING" } });
    expect(await deleteTenant(as(admin), { communityId: live.community.id, revision: 0, confirm: live.community.slug, exportFirst: false })).toMatchObject({ removed: false });
    const after = await fresh(live.community.id);
    expect(after.deletedAt).not.toBeNull();
    expect(after.instance).toMatchObject({ desiredState: "DELETED", desiredGeneration: 2 });
    expect(enqueue).toHaveBeenCalledWith(after.instance!.id);

    const draft = await makeTenant();
    expect(await deleteTenant(as(admin), { communityId: draft.community.id, revision: 0, confirm: draft.community.slug, exportFirst: false })).toMatchObject({ removed: true });
    expect(await db.community.findUnique({ where: { id: draft.community.id } })).toBeNull();
    expect(await lastAudit(draft.community.id)).toMatchObject({ action: "tenant.deleted", result: "SUCCEEDED", data: { mode: "removed" } });
  });
});

describe("a tenant in the middle of provisioning", () => {
  it("refuses restart, upgrade, plan change and export with a clear reason, and changes nothing", async () => {
    const { community } = await makeTenant({ instance: { phase: "PROVISIONING", busy: true } });
    const plan = await newPlan();
    await db.setting.upsert({ where: { key: SETTING.versions }, create: { key: SETTING.versions, value: { MASTODON: ["v1.0.0", "v1.1.0"] } }, update: { value: { MASTODON: ["v1.0.0", "v1.1.0"] } } });
    const before = await adminState();
    const input = { communityId: community.id, revision: 0 };
    const attempts = [
      () => requestTenantOperation(as(admin), input, "RESTART"),
      () => requestTenantOperation(as(admin), input, "EXPORT"),
      () => upgradeTenant(as(admin), { ...input, version: "v1.1.0" }),
      () => changeTenantPlan(as(admin), { ...input, planId: plan.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(/middle of provisioning \(provisioning\)/);
    const after = await adminState();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    expect(after.audit).toBe(before.audit + attempts.length);
    await db.setting.delete({ where: { key: SETTING.versions } });
  });

  it("accepts suspend and delete: the run in progress is superseded by the new generation", async () => {
    const a = await makeTenant({ instance: { phase: "PROVISIONING", busy: true } });
    await suspendTenant(as(admin), { communityId: a.community.id, revision: 0 });
    expect((await fresh(a.community.id)).instance).toMatchObject({ desiredState: "STOPPED", desiredGeneration: 3, appliedGeneration: 1 });
    const b = await makeTenant({ instance: { phase: "PROVISIONING", busy: true } });
    await deleteTenant(as(admin), { communityId: b.community.id, revision: 0, confirm: b.community.slug, exportFirst: false });
    expect((await fresh(b.community.id)).instance).toMatchObject({ desiredState: "DELETED", desiredGeneration: 3 });
  });

  it("lets an admin act on an instance whose retries ran out (ERROR), e.g. to go back to a working version", async () => {
    const { community } = await makeTenant({ instance: { phase: "ERROR", busy: true } });
    await db.setting.upsert({ where: { key: SETTING.versions }, create: { key: SETTING.versions, value: { MASTODON: ["v1.1.0", "v1.0.9"] } }, update: { value: { MASTODON: ["v1.1.0", "v1.0.9"] } } });
    await upgradeTenant(as(admin), { communityId: community.id, revision: 0, version: "v1.0.9" });
    expect((await fresh(community.id)).instance?.images).toMatchObject({ app: "hearth-test/mastodon:v1.0.9", streaming: "hearth-test/mastodon-streaming:v1.0.9" });
    await db.setting.delete({ where: { key: SETTING.versions } });
  });
});

describe("two admins at once", () => {
  it("suspend and resume from the same page: exactly one wins, the other is told, and the revision moves once", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" }, funding: "FUNDED" });
    const input = { communityId: community.id, revision: community.revision };
    const plan = await newPlan();
    const results = await Promise.allSettled([
      suspendTenant(as(admin), input),
      changeTenantPlan(as(otherAdmin), { ...input, planId: plan.id }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: "CONFLICT", message: TENANT_CONFLICT });
    const after = await fresh(community.id);
    expect(after.revision).toBe(community.revision + 1);
    // The loser's change is absent, the winner's present: no half of each.
    const suspended = results[0]!.status === "fulfilled";
    expect(after.adminSuspendedAt !== null).toBe(suspended);
    expect(after.planId === plan.id).toBe(!suspended);
    const audits = await db.auditEvent.findMany({ where: { communityId: community.id, action: { startsWith: "tenant." } }, select: { result: true } });
    expect(audits.map((a) => a.result).sort()).toEqual(["REFUSED", "SUCCEEDED"]);
  });

  it("ten concurrent plan changes with the same revision: one applies, nine conflict", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const plans = await Promise.all(Array.from({ length: 10 }, () => newPlan()));
    const results = await Promise.allSettled(
      plans.map((plan, i) => changeTenantPlan(as(i % 2 ? admin : otherAdmin), { communityId: community.id, revision: 0, planId: plan.id })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // Refused for the stale revision, not for some other reason (the first change makes the instance busy too).
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost.map((r) => (r.reason as Error).message)).toEqual(Array(9).fill(TENANT_CONFLICT));
    const winner = plans[results.findIndex((r) => r.status === "fulfilled")]!;
    const after = await fresh(community.id);
    expect(after).toMatchObject({ planId: winner.id, revision: 1 });
    expect(after.instance?.desiredGeneration).toBe(2);
  });

  it("a stale page cannot undo a newer change", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" }, funding: "FUNDED" });
    await suspendTenant(as(admin), { communityId: community.id, revision: 0 });
    // The other admin's page still shows revision 0 and offers "suspend"; resuming from it must fail too.
    await expect(resumeTenant(as(otherAdmin), { communityId: community.id, revision: 0 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await fresh(community.id)).adminSuspendedAt).not.toBeNull();
  });
});

describe("plan, version, jobs", () => {
  it("changes the plan and re-applies a running instance; refuses an inactive plan at its field", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const inactive = await newPlan(false);
    await expect(changeTenantPlan(as(admin), { communityId: community.id, revision: 0, planId: inactive.id })).rejects.toMatchObject({ fields: { planId: expect.stringMatching(/deactivated/) } });
    const plan = await newPlan();
    await changeTenantPlan(as(admin), { communityId: community.id, revision: 0, planId: plan.id });
    expect(await fresh(community.id)).toMatchObject({ planId: plan.id, instance: { desiredGeneration: 2 } });
  });

  it("upgrades only to an offered version, re-pinning the app images", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    await expect(upgradeTenant(as(admin), { communityId: community.id, revision: 0, version: "v6.6.6" })).rejects.toMatchObject({ fields: { version: expect.any(String) } });
    await db.setting.upsert({ where: { key: SETTING.versions }, create: { key: SETTING.versions, value: { MASTODON: ["v1.1.0", "v1.0.0"] } }, update: { value: { MASTODON: ["v1.1.0", "v1.0.0"] } } });
    await upgradeTenant(as(admin), { communityId: community.id, revision: 0, version: "v1.1.0" });
    const after = await fresh(community.id);
    expect(after.instance).toMatchObject({ desiredGeneration: 2, images: { app: "hearth-test/mastodon:v1.1.0", db: "postgres:14-alpine" } });
    expect(await lastAudit(community.id)).toMatchObject({ data: { from: "v1.0.0", to: "v1.1.0" } });
    await db.setting.delete({ where: { key: SETTING.versions } });
  });

  it("queues one restart at a time, and only for a running instance", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    await requestTenantOperation(as(admin), { communityId: community.id, revision: 0 }, "RESTART");
    await expect(requestTenantOperation(as(admin), { communityId: community.id, revision: 1 }, "RESTART")).rejects.toThrow(/already queued/);
    expect(await db.tenantOperation.count({ where: { communityId: community.id } })).toBe(1);
    const stopped = await makeTenant({ instance: { phase: "STOPPED", desiredState: "STOPPED" } });
    await expect(requestTenantOperation(as(admin), { communityId: stopped.community.id, revision: 0 }, "RESTART")).rejects.toThrow(/Only a running instance/);
  });

  it("nothing is possible on a deleted tenant", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    await deleteTenant(as(admin), { communityId: community.id, revision: 0, confirm: community.slug, exportFirst: false });
    await expect(suspendTenant(as(admin), { communityId: community.id, revision: 1 })).rejects.toThrow(/has been deleted/);
  });
});
