// Plans and prices: validation at each field, a plan in use cannot be deleted (even when a
// community takes it at the last moment), deactivation, and two admins editing one plan.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { makeCommunity, makeUser, unique } from "@/server/testing/fixtures";
import { createPlanSchema, updatePlanSchema } from "./schemas";
import { createPlan, deletePlan, PLAN_CONFLICT, PLAN_IN_USE, updatePlan } from "./manage-plans";

afterAll(() => db.$disconnect());

const origin = { ip: "192.0.2.1", userAgent: "plans-test" };
const fields = { name: "Tiny", memoryMb: "512", cpuMillis: "250", diskGb: "2", monthlyCost: "4.50", sortOrder: "9", active: "on" };

describe("plans", () => {
  it("validates every field and reports each at its field", () => {
    const bad = createPlanSchema.safeParse({ slug: "Not OK!", name: "", memoryMb: "10", cpuMillis: "x", diskGb: "0", monthlyCost: "4.555", sortOrder: "-1" });
    expect(bad.success).toBe(false);
    const paths = new Set(bad.error!.issues.map((i) => String(i.path[0])));
    expect(paths).toEqual(new Set(["slug", "name", "memoryMb", "cpuMillis", "diskGb", "monthlyCost", "sortOrder"]));
    expect(createPlanSchema.parse({ slug: "tiny", ...fields })).toMatchObject({ monthlyCost: 450, active: true, memoryMb: 512 });
    expect(createPlanSchema.parse({ slug: "tiny", ...fields, monthlyCost: "12,5", active: undefined })).toMatchObject({ monthlyCost: 1250, active: false });
  });

  it("creates, edits and deletes an unused plan, auditing each", async () => {
    const admin = await makeUser({ isHostAdmin: true });
    const slug = unique("tiny");
    const { id } = await createPlan({ actor: admin, origin }, createPlanSchema.parse({ slug, ...fields }));
    await expect(createPlan({ actor: admin, origin }, createPlanSchema.parse({ slug, ...fields }))).rejects.toMatchObject({ fields: { slug: expect.any(String) } });
    const plan = await db.plan.findUniqueOrThrow({ where: { id } });
    await updatePlan({ actor: admin, origin }, updatePlanSchema.parse({ ...fields, planId: id, updatedAt: plan.updatedAt.toISOString(), monthlyCost: "5" }));
    expect((await db.plan.findUniqueOrThrow({ where: { id } })).monthlyCost).toBe(500);
    await deletePlan({ actor: admin, origin }, id);
    expect(await db.plan.findUnique({ where: { id } })).toBeNull();
    const audit = await db.auditEvent.findMany({ where: { actorId: admin.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.result])).toEqual([
      ["plan.created", "SUCCEEDED"],
      ["plan.created", "REFUSED"],
      ["plan.updated", "SUCCEEDED"],
      ["plan.deleted", "SUCCEEDED"],
    ]);
    expect(audit[0]).toMatchObject({ ip: "192.0.2.1", userAgent: "plans-test" });
  });

  it("never deletes a plan in use; deactivating hides it from new communities only", async () => {
    const admin = await makeUser({ isHostAdmin: true });
    const { id } = await createPlan({ actor: admin, origin }, createPlanSchema.parse({ slug: unique("used"), ...fields }));
    const community = await makeCommunity(await makeUser(), { planId: id });
    await expect(deletePlan({ actor: admin, origin }, id)).rejects.toThrow(PLAN_IN_USE);
    const plan = await db.plan.findUniqueOrThrow({ where: { id } });
    await updatePlan({ actor: admin, origin }, updatePlanSchema.parse({ ...fields, active: undefined, planId: id, updatedAt: plan.updatedAt.toISOString() }));
    expect(await db.plan.findUniqueOrThrow({ where: { id } })).toMatchObject({ active: false });
    expect((await db.community.findUniqueOrThrow({ where: { id: community.id } })).planId).toBe(id);
  });

  it("a community created with the plan while it is being deleted: the delete loses, cleanly", async () => {
    const admin = await makeUser({ isHostAdmin: true });
    const owner = await makeUser();
    for (let round = 0; round < 5; round++) {
      const { id } = await createPlan({ actor: admin, origin }, createPlanSchema.parse({ slug: unique("race"), ...fields }));
      const [deleted, created] = await Promise.allSettled([
        deletePlan({ actor: admin, origin }, id),
        db.community.create({ data: { slug: unique("racer"), name: "Racer", software: "MASTODON", planId: id, ownerId: owner.id } }),
      ]);
      // Exactly one wins; never a community pointing at a deleted plan.
      expect([deleted.status, created.status].sort()).toEqual(["fulfilled", "rejected"]);
      if (deleted.status === "rejected") expect(deleted.reason).toMatchObject({ message: PLAN_IN_USE });
    }
  });

  it("two admins editing one plan: the second is told to reload, and the first edit stays", async () => {
    const [a, b] = [await makeUser({ isHostAdmin: true }), await makeUser({ isHostAdmin: true })];
    const { id } = await createPlan({ actor: a, origin }, createPlanSchema.parse({ slug: unique("edit"), ...fields }));
    const seen = (await db.plan.findUniqueOrThrow({ where: { id } })).updatedAt.toISOString();
    const results = await Promise.allSettled([
      updatePlan({ actor: a, origin }, updatePlanSchema.parse({ ...fields, planId: id, updatedAt: seen, name: "From A" })),
      updatePlan({ actor: b, origin }, updatePlanSchema.parse({ ...fields, planId: id, updatedAt: seen, name: "From B" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: PLAN_CONFLICT } });
    const name = (await db.plan.findUniqueOrThrow({ where: { id } })).name;
    expect(name).toBe(results[0]!.status === "fulfilled" ? "From A" : "From B");
  });
});
