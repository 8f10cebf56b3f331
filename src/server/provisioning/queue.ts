// The job queue on PostgreSQL (pg-boss, in its own `pgboss` schema beside Prisma's tables).
// A job only says "reconcile instance X"; the state it acts on lives in our own tables, so a
// lost, duplicated or late job is harmless. Policy "short" keeps at most one queued job per
// key, while a job of a dead worker (still "active") never blocks a fresh one.
import "server-only";
import { PgBoss } from "pg-boss";
import { env } from "@/server/config/env";
import { log } from "@/server/log";

export const RECONCILE_QUEUE = "instance-reconcile";
export type ReconcileJob = { instanceId: string };

type Role = "worker" | "producer";
const globalForBoss = globalThis as unknown as { hearthBoss?: { role: Role; boss: Promise<PgBoss> } };

async function start(role: Role): Promise<PgBoss> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const worker = role === "worker";
  const boss = new PgBoss({
    connectionString: url,
    schema: "pgboss",
    application_name: `hearth-${role}`,
    max: worker ? 6 : 2,
    // Only the worker maintains the queue (expiry of dead workers' jobs, retention) and listens.
    supervise: worker,
    schedule: false,
    registerInstance: worker,
    instanceName: `hearth-${role}`,
    useListenNotify: worker,
    monitorIntervalSeconds: 15,
    migrate: true,
  });
  boss.on("error", (error: Error) => log.error("job queue error", { role, error: error.message }));
  await boss.start();
  await boss.createQueue(RECONCILE_QUEUE, {
    policy: "short",
    notify: true,
    // Retries here only cover a handler that crashed; provisioning retries are ours (see reconcile).
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    // A worker killed mid-job stops sending heartbeats; its job is then failed and retried.
    heartbeatSeconds: 30,
    expireInSeconds: 6 * 3600,
    deleteAfterSeconds: 7 * 24 * 3600,
  });
  return boss;
}

/** The process's queue client; the worker starts it as "worker" before anything sends. */
export function queue(role: Role = "producer"): Promise<PgBoss> {
  if (!globalForBoss.hearthBoss) {
    const boss = start(role);
    globalForBoss.hearthBoss = { role, boss };
    // A failed start must not stick: the next call tries again.
    boss.catch(() => {
      if (globalForBoss.hearthBoss?.boss === boss) globalForBoss.hearthBoss = undefined;
    });
  }
  return globalForBoss.hearthBoss.boss;
}

export async function stopQueue(): Promise<void> {
  const current = globalForBoss.hearthBoss;
  globalForBoss.hearthBoss = undefined;
  if (current) await (await current.boss).stop({ graceful: true, timeout: 10_000, close: true });
}

/**
 * Asks the worker to reconcile an instance, now or at a given time. "Now" is deduplicated: one
 * waiting job per instance, however often this is called. A retry is keyed by its time, so an
 * earlier retry is never swallowed by a later one already waiting (a stale one finds nothing to do).
 */
export async function enqueueReconcile(instanceId: string, at?: Date): Promise<void> {
  const boss = await queue();
  await boss.send(RECONCILE_QUEUE, { instanceId } satisfies ReconcileJob, {
    singletonKey: at ? `${instanceId}:retry:${at.getTime()}` : instanceId,
    ...(at ? { startAfter: at } : {}),
  });
}
