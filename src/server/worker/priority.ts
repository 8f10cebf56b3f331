// CPU priorities in the worker. The worker shares the machine with the web app and the tenants'
// servers. On Linux a niceness is a thread's, so one process can hold work of two priorities:
// - HEARTH_WORKER_NICENESS, the whole process (0 by default). Its provisioning, funding clock,
//   mail and load samples are what the host needs most when the tenants keep the CPU busy, so
//   they are not lowered unless the host asks.
// - HEARTH_STRIPE_EVENT_NICENESS, the thread that processes recorded Stripe events (10 by
//   default, stripe-event-thread.ts). That work is deferred by design: the webhook has already
//   answered. When the CPU is contended, people's requests and Stripe's deliveries go first,
//   so a burst of deliveries is answered faster and processed a little later (`npm run
//   bench:webhooks -- --event-niceness N` measures it). Niceness 10 is a weight, not a wait: the
//   thread still gets about a tenth of what an equal busy thread at 0 gets. The thread costs
//   about 120 MB of memory (its own copy of the modules it runs); at a niceness no higher than
//   the worker's, the loop runs on the main thread instead.
// - V8's helper threads (garbage collection and compilation in the background, shared by the
//   main thread and the event thread) run at the event thread's niceness once it starts: under a
//   burst they work for it, and they took as much CPU at 0 as PostgreSQL's work for the thread.
//   The main thread does not wait on them: what they have not started, it does itself.
// PostgreSQL's work on either's behalf keeps its own priority.
import { readdirSync, readFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { env } from "@/server/config/env";
import { log } from "@/server/log";

function lower(thread: number, niceness: number): void {
  try {
    // Raising a niceness needs no privilege; lowering one does, and is never asked for here.
    if (getPriority(thread) < niceness) setPriority(thread, niceness);
  } catch (error) {
    // A thread that ended meanwhile has nothing left to lower.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") log.warn("worker priority not lowered", { niceness, thread, error: error instanceof Error ? error.message : String(error) });
  }
}

/** Applies HEARTH_WORKER_NICENESS to every thread of this process. */
export function applyWorkerPriority(): void {
  const niceness = env().HEARTH_WORKER_NICENESS;
  if (niceness === 0) return;
  // setpriority() for "this process" changes the calling thread only. The threads already
  // running (V8's, libuv's, the module loader's) are set one by one by their ids; threads
  // started later inherit it from the thread that starts them.
  const threads = process.platform === "linux" ? readdirSync("/proc/self/task").map(Number) : [0];
  for (const thread of threads) lower(thread, niceness);
}

/** Lowers the calling thread (only it, on Linux) to `niceness`, unless it already runs lower. */
export function lowerThisThread(niceness: number): void {
  if (niceness > 0) lower(0, niceness);
}

/** Lowers V8's helper threads of this process (named "V8Worker" on Linux) to `niceness`. */
export function lowerV8HelperThreads(niceness: number): void {
  if (niceness <= 0 || process.platform !== "linux") return;
  for (const thread of readdirSync("/proc/self/task")) {
    let name: string;
    try {
      name = readFileSync(`/proc/self/task/${thread}/comm`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    if (name.startsWith("V8Worker")) lower(Number(thread), niceness);
  }
}
