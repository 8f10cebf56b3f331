// The worker's periodic jobs: run a task, wait, run it again, until stopped. One run at a time
// (the wait starts when a run settles, so a slow run is never overlapped by the next; with
// `fixedPeriod` the wait is shortened by the run's own time, so runs start every period when they
// are quicker than it); a failed run is logged and the next one comes as usual; stop() waits for
// the run in progress.
import { log } from "@/server/log";

export type Repeating = { stop: () => Promise<void> };

type Options = {
  /** The wait between runs, read after each run (settings may change). */
  everyMs: () => number;
  /** Count the wait from the start of a run instead of its end (a sampler keeping its rate). */
  fixedPeriod?: boolean;
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
    const started = Date.now();
    running = task()
      .catch((error: unknown) => log.error(`${name} failed`, { error }))
      .finally(() => schedule(Math.max(0, options.everyMs() - (options.fixedPeriod ? Date.now() - started : 0))));
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
