import { db } from "@/server/db/client";
import { defaultPlans } from "./default-plans";

/** Creates the default plans once; never overwrites what a host admin changed. */
export async function seedPlans(): Promise<number> {
  const { count } = await db.plan.createMany({ data: [...defaultPlans], skipDuplicates: true });
  return count;
}
