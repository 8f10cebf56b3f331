// The Stripe event loop (stripe-event-worker.ts) on a thread of its own in the worker process,
// at HEARTH_STRIPE_EVENT_NICENESS (src/server/worker/priority.ts): on Linux a niceness is a
// thread's, so this deferred work yields to requests when the CPU is contended while the rest
// of the worker keeps its priority. The thread has its own database pool and LISTEN connection;
// instance requests after a funding change are delivered here, on the main thread, which has
// provisioning loaded (the thread does not load it). Should the thread end for any reason but
// stop(), it is started again; its events wait in the database meanwhile.
import "server-only";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { env } from "@/server/config/env";
import { deliverInstanceRequests } from "@/server/funding/instance-hooks";
import { log } from "@/server/log";
import { startStripeEventWorker, type StripeEventWorker } from "./stripe-event-worker";

export type ToThread = { kind: "wake" } | { kind: "stop" };
export type FromThread = { kind: "ready" } | { kind: "funding-changed"; communityIds: string[] };
export type ThreadData = { niceness: number };

const ENTRY = new URL("./stripe-event-thread-main.ts", import.meta.url);
export const RESTART_MS = 2_000;

/** Starts the thread; `ready` settles once its loop runs. `entry` is for tests (another main). */
export function startStripeEventThread(entry: URL = ENTRY): StripeEventWorker & { ready: Promise<void> } {
  let thread: Worker | undefined;
  let stopping = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const start = () => {
    const current = new Worker(entry, { name: "stripe-events", workerData: { niceness: env().HEARTH_STRIPE_EVENT_NICENESS } satisfies ThreadData });
    thread = current;
    current.on("message", (message: FromThread) => {
      if (message.kind === "ready") markReady();
      // A failed delivery stays pending: the funding clock retries it (instance-hooks.ts).
      if (message.kind === "funding-changed") {
        void deliverInstanceRequests(message.communityIds).catch((error: unknown) =>
          log.warn("instance requests not delivered; the funding clock retries", { error: error instanceof Error ? error.message : String(error) }),
        );
      }
    });
    current.on("error", (error) => log.error("stripe event thread failed", { error: error.message }));
    current.on("exit", (code) => {
      if (thread === current) thread = undefined;
      if (stopping) return;
      log.error("stripe event thread ended; starting it again", { code, inMs: RESTART_MS });
      setTimeout(() => {
        if (!stopping) start();
      }, RESTART_MS).unref();
    });
  };
  start();

  return {
    ready,
    wake() {
      thread?.postMessage({ kind: "wake" } satisfies ToThread);
    },
    async stop() {
      stopping = true;
      const current = thread;
      if (!current) return;
      const exited = once(current, "exit");
      current.postMessage({ kind: "stop" } satisfies ToThread);
      await exited;
    },
  };
}

/**
 * The worker's Stripe event loop: on its own thread when that thread is to run at a lower
 * priority than the rest of the worker, else (and off Linux, where a niceness is the whole
 * process's) on the calling thread, saving the thread's memory.
 */
export function startStripeEvents(): StripeEventWorker & { ready: Promise<void> } {
  const config = env();
  if (process.platform === "linux" && config.HEARTH_STRIPE_EVENT_NICENESS > config.HEARTH_WORKER_NICENESS) return startStripeEventThread();
  return { ...startStripeEventWorker(), ready: Promise.resolve() };
}
