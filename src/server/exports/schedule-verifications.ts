// Weekly verification: the newest archive of each community with a server is verified when it
// has no verification younger than a week; the job is a VERIFY TenantOperation like one asked
// for by hand, so at most one waits per community and the worker's operations loop runs it.
import "server-only";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { listExports } from "./exports-dir";
import { readVerification } from "./verify-export";
import { repeat, type Repeating } from "@/server/worker/repeat";

export const VERIFY_EVERY_MS = 7 * 24 * 3600_000;

/** Queues what is due; returns the archives queued. */
export async function scheduleVerifications(now = new Date()): Promise<string[]> {
  const instances = await db.instance.findMany({ where: { phase: "RUNNING", community: { deletedAt: null } }, select: { communityId: true } });
  const queued: string[] = [];
  for (const { communityId } of instances) {
    const newest = (await listExports(communityId))[0];
    if (!newest) continue;
    const last = await readVerification(communityId, newest.name);
    if (last && now.getTime() - Date.parse(last.checkedAt) < VERIFY_EVERY_MS) continue;
    const open = await db.tenantOperation.count({ where: { communityId, kind: { in: ["VERIFY", "RESTORE"] }, state: { in: ["QUEUED", "RUNNING"] } } });
    if (open > 0) continue;
    await db.tenantOperation.create({ data: { communityId, kind: "VERIFY", archive: newest.name } });
    queued.push(newest.name);
  }
  if (queued.length) log.info("weekly verification queued", { archives: queued.length });
  return queued;
}

/** The worker's loop: looks once an hour (a cheap scan of the exports folders). */
export function startVerificationSchedule(intervalMs = 3600_000): Repeating {
  return repeat("verification schedule", scheduleVerifications, { everyMs: () => intervalMs, stopWaitMs: 5_000 });
}
