// The collector loop the worker runs: a sweep every METRICS_INTERVAL_SECONDS (while this
// worker holds the collector lease), disk use every METRICS_DISK_INTERVAL_SECONDS in the
// background, rollups every minute, retention every ten minutes.
import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { installationId } from "@/server/docker/labels";
import { log } from "@/server/log";
import { collectOnce, newCollectorState, type SweepSummary } from "./collect-once";
import { holdLease, releaseLease } from "./collector-lease";
import { metricsConfig, type MetricsConfig } from "./config";
import { measureDisk } from "./measure-disk";
import { pruneLoad } from "./prune-load";
import { rollupSinceLastRun } from "./rollup-load";
import { repeat } from "@/server/worker/repeat";

export type RunningCollector = {
  stop: () => Promise<void>;
  /** Sweeps this collector made, and the last one's summary. */
  status: () => { sweeps: number; last: SweepSummary | null };
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function startCollector(options: { config?: Partial<MetricsConfig> } = {}): RunningCollector {
  const config = metricsConfig(options.config);
  const state = newCollectorState();
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let measuringDisk = false;
  const last = { disk: 0, rollup: 0, prune: 0 };
  let sweeps = 0;
  // An engine or database that stays away is logged when the error changes, and then
  // every ten minutes, not on every sweep.
  let lastError = { text: "", at: 0 };
  let lastSummary: SweepSummary | null = null;

  const refreshDisk = () => {
    measuringDisk = true;
    measureDisk()
      .then((disk) => void (state.disk = disk))
      .catch((error) => log.warn("metrics: disk measurement failed", { error: errorText(error) }))
      .finally(() => void (measuringDisk = false));
  };

  const sweep = async () => {
    const started = Date.now();
    try {
      if (await holdLease(owner, Math.max(3 * config.intervalMs, 5_000))) {
        await installationId(); // settled before the disk measurement and the sweep both ask
        if (!measuringDisk && started - last.disk >= config.diskIntervalMs) {
          last.disk = started;
          refreshDisk();
        }
        const summary = await collectOnce({ state, config });
        sweeps++;
        lastSummary = summary;
        if (summary.totalMs > config.intervalMs) {
          log.warn("metrics: sweep took longer than the interval", { ms: Math.round(summary.totalMs), containers: summary.containers });
        }
        if (started - last.rollup >= config.rollupIntervalMs) {
          last.rollup = started;
          await rollupSinceLastRun();
        }
        if (started - last.prune >= config.pruneIntervalMs) {
          last.prune = started;
          await pruneLoad(new Date(), config);
        }
      }
      lastError = { text: "", at: 0 };
    } catch (error) {
      const text = errorText(error);
      if (text !== lastError.text || Date.now() - lastError.at > 10 * 60_000) {
        log.error("metrics: sweep failed (will keep trying)", { error: text });
        lastError = { text, at: Date.now() };
      }
    }
  };

  // A fixed period: the next sweep starts an interval after this one started. A sweep stuck on
  // an unresponsive engine must not hold up the worker's shutdown, hence the bounded stop.
  const loop = repeat("metrics: sweep", sweep, { everyMs: () => config.intervalMs, fixedPeriod: true, stopWaitMs: 5_000 });
  log.info("metrics collector started", { intervalSeconds: config.intervalMs / 1000, source: config.source });
  return {
    status: () => ({ sweeps, last: lastSummary }),
    stop: async () => {
      await loop.stop();
      await releaseLease(owner).catch(() => {});
    },
  };
}
