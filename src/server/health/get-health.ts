// Health of the panel itself: database, Docker engine and the background worker.
import "server-only";
import { db } from "@/server/db/client";
import { engineStatus } from "@/server/docker/client";
import { env } from "@/server/config/env";
import { readIngressState } from "@/server/provisioning";

export type Check = { ok: boolean; [detail: string]: unknown };
export type Health = {
  status: "ok" | "degraded";
  checks: { database: Check; docker: Check; worker: Check; ingress: Check };
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

/** What the worker's last ingress pass reported; the panel runs without an ingress, and says so. */
async function checkIngress(): Promise<Check> {
  if (env().HEARTH_INGRESS === "off") return { ok: true, mode: "off: instances' ports are published on the host" };
  try {
    const state = await readIngressState();
    if (state.error) return { ok: false, error: state.error };
    if (!state.appliedAt) return { ok: false, error: "the worker has not set up the ingress yet" };
    return { ok: true, httpsPort: state.httpsPort, appliedAt: state.appliedAt };
  } catch {
    return { ok: false, error: "database unreachable" };
  }
}

export async function getHealth(): Promise<Health> {
  const [database, docker, worker, ingress] = await Promise.all([checkDatabase(), engineStatus(), checkWorker(), checkIngress()]);
  // The ingress is reported, not counted: the panel itself works without it.
  const ok = database.ok && docker.ok && worker.ok;
  return { status: ok ? "ok" : "degraded", checks: { database, docker, worker, ingress } };
}
