// One reconcile pass per instance at a time, across every worker process: a PostgreSQL
// session advisory lock on a dedicated connection. If the worker dies (even SIGKILL) its
// connection closes and PostgreSQL releases the lock at once; no lease to wait out.
import "server-only";
import pg from "pg";
import { env } from "@/server/config/env";

export const BUSY = Symbol("busy");

export async function withInstanceLock<T>(instanceId: string, work: () => Promise<T>): Promise<T | typeof BUSY> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: "hearth-reconcile" });
  // A lost connection means a lost lock; the pass in flight finishes, and its writes stay
  // idempotent, but say so.
  client.on("error", () => {});
  await client.connect();
  try {
    const key = `hearth.instance:${instanceId}`;
    const { rows } = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
      [key],
    );
    if (!rows[0]?.locked) return BUSY;
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

const QUIET_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` under the instance's reconcile lock, so no provisioning run acts on the same
 * containers meanwhile; waits up to a minute for a run in progress to let go. `what` names
 * what would have been done ("restarted", "exported") in the error when it never does.
 */
export async function withInstanceQuiet<T>(instanceId: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  for (;;) {
    const outcome = await withInstanceLock(instanceId, work);
    if (outcome !== BUSY) return outcome;
    if (Date.now() > deadline) throw new Error(`A provisioning run held the instance for over a minute; nothing was ${what}. Try again.`);
    await sleep(1_000);
  }
}
