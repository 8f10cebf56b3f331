// Health of the panel itself: database, Docker engine and the background worker.
import "server-only";
import { db } from "@/server/db/client";
import { engineStatus } from "@/server/docker/client";
import { env } from "@/server/config/env";

export type Check = { ok: boolean; [detail: string]: unknown };
export type Health = {
  status: "ok" | "degraded";
  checks: { database: Check; docker: Check; worker: Check };
};

async function checkDatabase(): Promise<Check> {
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, error: "database unreachable" };
  }
}

async function checkWorker(): Promise<Check> {
  try {
    const latest = await db.workerHeartbeat.findFirst({
      where: { stoppedAt: null },
      orderBy: { lastBeatAt: "desc" },
    });
    if (!latest) return { ok: false, error: "no worker has reported" };
    const ageSeconds = Math.max(0, Math.round((Date.now() - latest.lastBeatAt.getTime()) / 1000));
    return {
      ok: ageSeconds <= env().WORKER_STALE_SECONDS,
      lastHeartbeatAt: latest.lastBeatAt.toISOString(),
      ageSeconds,
    };
  } catch {
    return { ok: false, error: "database unreachable" };
  }
}

export async function getHealth(): Promise<Health> {
  const [database, docker, worker] = await Promise.all([checkDatabase(), engineStatus(), checkWorker()]);
  const ok = database.ok && docker.ok && worker.ok;
  return { status: ok ? "ok" : "degraded", checks: { database, docker, worker } };
}
