// The worker's periodic jobs: run a task, wait, run it again, until stopped. One run at a time
// (the wait starts when a run settles, so a slow run is never overlapped by the next); a failed
// run is logged and the next one comes as usual; stop() waits for the run in progress.
import { log } from "@/server/log";

export type Repeating = { stop: () => Promise<void> };

type Options = {
  /** The wait between runs, read after each run (settings may change). */
  everyMs: () => number;
  /** The wait before the first run; 0 runs it at once. */
  firstAfterMs?: number;
  /** The longest stop() waits for a run in progress (one stuck on an unresponsive engine). */
  stopWaitMs?: number;
};

export function repeat(name: string, task: () => Promise<unknown>, options: Options): Repeating {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(tick, ms);
  };
  const tick = () => {
    running = task()
      .catch((error: unknown) => log.error(`${name} failed`, { error }))
      .finally(() => schedule(options.everyMs()));
  };
  if (options.firstAfterMs) schedule(options.firstAfterMs);
  else tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const waits: Promise<unknown>[] = [running];
      if (options.stopWaitMs !== undefined) waits.push(new Promise((resolve) => setTimeout(resolve, options.stopWaitMs).unref()));
      await Promise.race(waits);
    },
  };
}
