// Plans and prices, for host admins: create, edit, deactivate, delete. A plan that any
// community uses cannot be deleted (the foreign key says so too), only deactivated: it then
// disappears from the start form while its tenants keep it.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/auth/permissions";
import { recordAudit } from "@/server/audit/record-audit";
import { assertHostPermission } from "@/server/auth/host-permission";
import type { RequestOrigin } from "@/server/audit/request-origin";
import { fundingDefaults } from "@/server/settings";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import type { CreatePlanInput, UpdatePlanInput } from "./schemas";

export const PLAN_CONFLICT = "Another admin changed this plan after you opened the page. Reload to see the change, then edit again.";
const SLUG_TAKEN = "Another plan has this short name.";
export const PLAN_IN_USE = "Communities use this plan, so it cannot be deleted. Deactivate it instead: new communities will not see it.";

type Context = { actor: Actor | null; origin: RequestOrigin };

async function audited<T>(ctx: Context, action: string, data: Prisma.InputJsonObject, work: (tx: Prisma.TransactionClient, actor: Actor) => Promise<T>): Promise<T> {
  const { actor, origin } = ctx;
  assertHostPermission(actor, "admin.plans.write");
  try {
    return await db.$transaction(async (tx) => {
      const result = await work(tx, actor);
      await recordAudit(tx, { actorId: actor.id, action, data, origin, result: "SUCCEEDED" });
      return result;
    });
  } catch (error) {
    const refused = error instanceof AppError;
    await recordAudit(db, {
      actorId: actor.id,
      action,
      data: { ...data, ...(refused ? { refused: error.message } : {}) },
      origin,
      result: refused ? "REFUSED" : "FAILED",
    });
    throw error;
  }
}

export async function createPlan(ctx: Context, input: CreatePlanInput) {
  const { slug, ...fields } = input;
  try {
    return await audited(ctx, "plan.created", { slug, ...fields }, async (tx) => {
      if (await tx.plan.findUnique({ where: { slug }, select: { id: true } })) throw new AppError("CONFLICT", "Some fields need attention.", { slug: SLUG_TAKEN });
      return tx.plan.create({ data: { slug, ...fields, currency: fundingDefaults().currency }, select: { id: true } });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "Some fields need attention.", { slug: SLUG_TAKEN });
    }
    throw error;
  }
}

export async function updatePlan(ctx: Context, input: UpdatePlanInput) {
  const { planId, updatedAt, ...fields } = input;
  await audited(ctx, "plan.updated", { planId, ...fields }, async (tx) => {
    const seen = new Date(updatedAt);
    if (Number.isNaN(seen.getTime())) throw new AppError("CONFLICT", PLAN_CONFLICT);
    // Conditional update: only the plan exactly as the admin saw it.
    const { count } = await tx.plan.updateMany({ where: { id: planId, updatedAt: seen }, data: fields });
    if (count === 1) return;
    if (!(await tx.plan.findUnique({ where: { id: planId }, select: { id: true } }))) throw new AppError("NOT_FOUND", "There is no such plan.");
    throw new AppError("CONFLICT", PLAN_CONFLICT);
  });
}

export async function deletePlan(ctx: Context, planId: string) {
  try {
    await audited(ctx, "plan.deleted", { planId }, async (tx) => {
      // Locks the plan row against a community being created with it meanwhile.
      const plan = await tx.$queryRaw<{ id: string; slug: string }[]>`SELECT id, slug FROM "Plan" WHERE id = ${planId} FOR UPDATE`;
      if (plan.length === 0) throw new AppError("NOT_FOUND", "There is no such plan.");
      if ((await tx.community.count({ where: { planId } })) > 0) throw new AppError("CONFLICT", PLAN_IN_USE);
      await tx.plan.delete({ where: { id: planId } });
    });
  } catch (error) {
    // The foreign key has the last word if a community took the plan after all.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") throw new AppError("CONFLICT", PLAN_IN_USE);
    throw error;
  }
}

/** Every plan with how many communities use it, for the settings page. */
export async function listPlansForAdmin(actor: Actor | null) {
  assertHostPermission(actor, "admin.dashboard");
  return db.plan.findMany({
    orderBy: [{ sortOrder: "asc" }, { monthlyCost: "asc" }],
    include: { _count: { select: { communities: true } } },
  });
}
