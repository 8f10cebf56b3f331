// The worker's CPU priority (HEARTH_WORKER_NICENESS). The worker shares the machine with the web
// app. Above 0, when both want the CPU, people's requests go first: a burst of Stripe deliveries
// is answered faster and processed a little later (`npm run bench:webhooks -- --worker-niceness
// 10` measures it). It is 0 by default because the same machine runs the tenants' servers: when
// they keep the CPU busy, a niced worker would be starved with them, and its provisioning,
// funding clock, mail and load samples are what the host needs most then. PostgreSQL's work on
// the worker's behalf keeps its own priority either way.
import { readdirSync } from "node:fs";
import { setPriority } from "node:os";
import { env } from "@/server/config/env";
import { log } from "@/server/log";

/** Applies HEARTH_WORKER_NICENESS to every thread of this process (raising niceness needs no privilege). */
export function applyWorkerPriority(): void {
  const niceness = env().HEARTH_WORKER_NICENESS;
  if (niceness === 0) return;
  // On Linux a niceness is a thread's: setpriority() for "this process" changes the calling
  // thread only. The threads already running (V8's, libuv's, the module loader's) are set one by
  // one by their ids; threads started later inherit it from the thread that starts them.
  const threads = process.platform === "linux" ? readdirSync("/proc/self/task").map(Number) : [0];
  for (const thread of threads) {
    try {
      setPriority(thread, niceness);
    } catch (error) {
      // A thread that ended meanwhile has nothing left to lower.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") log.warn("worker priority not lowered", { niceness, thread, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
