// The collector's settings, read from the environment once; tests and the bench pass
// overrides (short windows, a forced source) instead of touching process.env.
import "server-only";
import { env } from "@/server/config/env";

export type MetricsConfig = {
  intervalMs: number;
  source: "auto" | "api" | "cgroup";
  statsConcurrency: number;
  diskIntervalMs: number;
  /** Fractions of the plan's limits (0.9 = 90 %). */
  heavyCpu: number;
  heavyMemory: number;
  hysteresis: number;
  heavyEnterMs: number;
  heavyLeaveMs: number;
  recommendAfterMs: number;
  rawRetentionMs: number;
  fiveMinuteRetentionMs: number;
  hourlyRetentionMs: number;
  /** How often the loop rolls up and prunes (not configurable by env; tests shorten it). */
  rollupIntervalMs: number;
  pruneIntervalMs: number;
};

export function metricsConfig(overrides: Partial<MetricsConfig> = {}): MetricsConfig {
  const e = env();
  return {
    intervalMs: e.METRICS_INTERVAL_SECONDS * 1000,
    source: e.METRICS_SOURCE,
    statsConcurrency: e.METRICS_STATS_CONCURRENCY,
    diskIntervalMs: e.METRICS_DISK_INTERVAL_SECONDS * 1000,
    heavyCpu: e.METRICS_HEAVY_CPU_PERCENT / 100,
    heavyMemory: e.METRICS_HEAVY_MEMORY_PERCENT / 100,
    hysteresis: e.METRICS_HEAVY_HYSTERESIS_PERCENT / 100,
    heavyEnterMs: e.METRICS_HEAVY_ENTER_SECONDS * 1000,
    heavyLeaveMs: e.METRICS_HEAVY_LEAVE_SECONDS * 1000,
    recommendAfterMs: e.METRICS_RECOMMEND_AFTER_SECONDS * 1000,
    rawRetentionMs: e.METRICS_RAW_RETENTION_HOURS * 3600_000,
    fiveMinuteRetentionMs: e.METRICS_FIVE_MINUTE_RETENTION_DAYS * 86_400_000,
    hourlyRetentionMs: e.METRICS_HOURLY_RETENTION_DAYS * 86_400_000,
    rollupIntervalMs: 60_000,
    pruneIntervalMs: 10 * 60_000,
    ...overrides,
  };
}
