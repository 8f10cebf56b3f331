"use server";
// The admin area's plan forms (host permission admin.plans.write, checked before the form is read).
import { refresh } from "next/cache";
import { withHostAction } from "@/server/actions/with-action";
import { requestOrigin } from "@/server/audit/request-origin";
import { createPlan, deletePlan, updatePlan } from "./manage-plans";
import { createPlanSchema, deletePlanSchema, updatePlanSchema } from "./schemas";

const context = async (actor: Parameters<typeof createPlan>[0]["actor"]) => ({ actor, origin: await requestOrigin() });

export const createPlanAction = withHostAction("admin.plans.write", createPlanSchema, async (input, { actor }) => {
  await createPlan(await context(actor), input);
  refresh();
  return { message: `Plan “${input.name}” created.` };
});

export const updatePlanAction = withHostAction("admin.plans.write", updatePlanSchema, async (input, { actor }) => {
  await updatePlan(await context(actor), input);
  refresh();
  return { message: "Plan saved." };
});

export const deletePlanAction = withHostAction("admin.plans.write", deletePlanSchema, async (input, { actor }) => {
  await deletePlan(await context(actor), input.planId);
  refresh();
  return { message: "Plan deleted." };
});
