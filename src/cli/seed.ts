// Seeds what a fresh Hearth needs (the default plans). Safe to run on every start.
import { seedPlans } from "@/server/plans/seed-plans";
import { db } from "@/server/db/client";

const created = await seedPlans();
if (created > 0) console.log(`hearth: created ${created} default plans`);
await db.$disconnect();
