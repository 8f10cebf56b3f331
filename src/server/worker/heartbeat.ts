// The worker's heartbeat row: /api/health reads its age to tell whether a worker runs.
import "server-only";
import { hostname } from "node:os";
import { db } from "@/server/db/client";

export function workerId(startedAt: Date): string {
  return `${hostname()}:${process.pid}:${startedAt.getTime()}`;
}

export async function beat(id: string, startedAt: Date): Promise<void> {
  const now = new Date();
  await db.workerHeartbeat.upsert({
    where: { id },
    create: { id, hostname: hostname(), pid: process.pid, startedAt, lastBeatAt: now },
    update: { lastBeatAt: now, stoppedAt: null },
  });
}

export async function markStopped(id: string): Promise<void> {
  await db.workerHeartbeat.updateMany({ where: { id }, data: { stoppedAt: new Date() } });
}

/** Rows of workers that stopped or went silent a day ago are of no further use. */
export async function pruneHeartbeats(olderThan: Date): Promise<number> {
  const { count } = await db.workerHeartbeat.deleteMany({ where: { lastBeatAt: { lt: olderThan } } });
  return count;
}
