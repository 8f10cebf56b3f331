// The admin area against everyone who must not use it: a member of the tenant, an organiser
// of another community, and a signed-out visitor. Every action, page and the logs route is
// tried by each; each refusal must look like "not found", carry no field errors (which would
// describe the form), and leave every table exactly as it was.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionState } from "@/server/actions/action-state";
import { idleState } from "@/server/actions/action-state";
import { ADMIN_NOT_FOUND } from "@/server/admin/require-host-admin";
import { toActor } from "@/server/auth/actor";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { adminState, makeTenant } from "@/server/admin/testing/fixtures";
import { actAs } from "@/server/testing/current-actor-mock";
import { addMember, form, makeCommunity, makeUser, smallPlanId, unique } from "@/server/testing/fixtures";
import * as planActions from "@/server/plans/actions";
import * as settingsActions from "@/server/settings/actions";
import * as tenantActions from "@/server/admin/actions";
import AdminLayout from "./layout";
import AdminTenantsPage from "./page";
import AdminSettingsPage from "./settings/page";
import AdminTenantPage from "./tenants/[id]/page";
import { GET as logsRoute } from "./tenants/[id]/logs/route";

// The admin area's forms: tenants (admin), plans and host settings.
const actions = { ...tenantActions, ...planActions, ...settingsActions };

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
vi.mock("next/cache", () => ({ refresh: vi.fn(), revalidatePath: vi.fn() }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-hearth-client-address": "198.51.100.9", "user-agent": "matrix-test" }) }));
const enqueue = vi.hoisted(() => vi.fn(async () => {}));
vi.mock("@/server/provisioning/queue", () => ({ enqueueReconcile: enqueue }));

afterAll(() => db.$disconnect());

type Action = (state: ActionState, data: FormData) => Promise<ActionState>;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let member: Actor;
let organiser: Actor;
let planId: string;
let otherPlan: string;
// Named host admins (HEARTH_ADMIN_EMAILS or the first account) short of the rights: the
// actor as the session resolves it (src/server/auth/actor.ts).
let adminWithout2fa: Actor;
let adminNotEnrolled: Actor;
let adminUnverified: Actor;

beforeAll(async () => {
  tenant = await makeTenant({ instance: { phase: "RUNNING" }, funding: "FUNDED" });
  member = await makeUser();
  await addMember(tenant.community.id, member, "MEMBER");
  organiser = await makeUser();
  await makeCommunity(organiser);
  planId = await smallPlanId();
  const named = async (verified: boolean) =>
    db.user.create({ data: { email: `${unique("named")}@example.test`, isHostAdmin: true, emailVerified: verified ? new Date() : null } });
  adminWithout2fa = toActor(await named(true), { secondFactorEnrolled: true, secondFactorPassed: false });
  adminNotEnrolled = toActor(await named(true), { secondFactorEnrolled: false, secondFactorPassed: false });
  // Even with the second factor passed, an unverified address has no rights.
  adminUnverified = toActor(await named(false), { secondFactorEnrolled: true, secondFactorPassed: true });
  otherPlan = (await db.plan.create({ data: { slug: unique("p"), name: "Other", memoryMb: 1024, cpuMillis: 500, diskGb: 5, monthlyCost: 500 } })).id;
});

const base = () => ({ communityId: tenant.community.id, revision: String(tenant.community.revision) });
const attempts: Record<string, () => [Action, Record<string, string>]> = {
  suspend: () => [actions.suspendTenantAction, base()],
  resume: () => [actions.resumeTenantAction, base()],
  restart: () => [actions.restartTenantAction, base()],
  export: () => [actions.exportTenantAction, base()],
  "change plan": () => [actions.changePlanAction, { ...base(), planId: otherPlan }],
  upgrade: () => [actions.upgradeTenantAction, { ...base(), version: "v9.9.9" }],
  delete: () => [actions.deleteTenantAction, { ...base(), confirm: tenant.community.slug }],
  "create a plan": () => [actions.createPlanAction, { slug: unique("x"), name: "X", memoryMb: "1024", cpuMillis: "500", diskGb: "5", monthlyCost: "1", sortOrder: "0" }],
  "edit a plan": () => [actions.updatePlanAction, { planId, updatedAt: new Date().toISOString(), name: "Hacked", memoryMb: "1024", cpuMillis: "500", diskGb: "5", monthlyCost: "0", sortOrder: "0" }],
  "delete a plan": () => [actions.deletePlanAction, { planId: otherPlan }],
  "save settings": () => [actions.updateSettingsAction, { revision: "", graceDays: "0", hostFee: "999", enabled_MASTODON: "on", versions_MASTODON: "evil", versions_MISSKEY: "x", versions_SHARKEY: "y" }],
  // Malformed input too: a refusal must come before parsing, or its errors would describe the form.
  "send garbage": () => [actions.changePlanAction, { communityId: "", revision: "x" }],
};

const who: Record<string, () => Actor | null> = {
  "a member of the tenant": () => member,
  "the tenant's own organiser": () => tenant.owner,
  "an organiser of another community": () => organiser,
  "a signed-out visitor": () => null,
  "a host admin who has not passed the second factor in this session": () => adminWithout2fa,
  "a host admin who has not set up the second factor": () => adminNotEnrolled,
  "a host admin whose email is not verified": () => adminUnverified,
};

// Where the admin pages send each: a named admin with a verified email is sent to the second
// factor (enrolment or code); everyone else gets the 404 of an address that does not exist.
/** What a page threw: a redirect's digest (with its target) or the error's message. */
async function answerOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    return typeof digest === "string" ? digest : String((error as Error).message);
  }
  return "rendered";
}

const pageAnswer = (person: string): RegExp =>
  person.includes("has not passed")
    ? /NEXT_REDIRECT;replace;\/account\/two-factor\?callbackUrl=/
    : person.includes("not set up")
      ? /NEXT_REDIRECT;replace;\/account\/two-factor\/setup;/
      : /NEXT_HTTP_ERROR_FALLBACK;404/;

describe.each(Object.keys(who))("%s", (person) => {
  it.each(Object.keys(attempts))("cannot %s: not found, no field errors, nothing changed", async (name) => {
    const [action, fields] = attempts[name]!();
    const before = await adminState();
    actAs(who[person]!());
    const state = await action(idleState, form(fields));
    expect(state.status).toBe("error");
    expect(state.message).toBe(ADMIN_NOT_FOUND);
    expect(state.fields).toBeUndefined();
    expect(state.data).toBeUndefined();
    expect(await adminState()).toEqual(before);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it("gets a 404 (or the way to the second factor) from every admin page, and from the logs route the same body as for nothing at all", async () => {
    actAs(who[person]!());
    const notFound = pageAnswer(person);
    const id = tenant.community.id;
    expect(await answerOf(AdminLayout({ children: null }))).toMatch(notFound);
    expect(await answerOf(AdminTenantsPage({ searchParams: Promise.resolve({}) }))).toMatch(notFound);
    expect(await answerOf(AdminSettingsPage())).toMatch(notFound);
    expect(await answerOf(AdminTenantPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) }))).toMatch(notFound);
    for (const query of ["", "?tail=999999", "?component=../../etc"]) {
      const request = new Request(`http://hearth.test/admin/tenants/${id}/logs${query}`);
      const response = await logsRoute(Object.assign(request, { nextUrl: new URL(request.url) }) as never, { params: Promise.resolve({ id }) });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not Found");
    }
  });
});
