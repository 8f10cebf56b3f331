import "server-only";
import { db } from "@/server/db/client";

/** The plans a new community may choose, in the host admin's order. */
export function listActivePlans() {
  return db.plan.findMany({
    where: { active: true },
    orderBy: [{ sortOrder: "asc" }, { monthlyCost: "asc" }],
    select: { id: true, name: true, memoryMb: true, cpuMillis: true, diskGb: true, monthlyCost: true, currency: true },
  });
}
