// Picks where each container's counters come from (see METRICS_SOURCE): the kernel's
// cgroup files when the engine runs on this machine, else the Docker stats API.
import "server-only";
import { docker } from "@/server/docker/client";
import { readStatsViaApi } from "./read-stats-api";
import { readStatsViaCgroup, type CgroupLayout } from "./read-stats-cgroup";
import type { ContainerCounters } from "./counters";
import type { MetricsConfig } from "./config";

let layoutPromise: Promise<CgroupLayout | null> | undefined;

/** How the engine lays out container cgroups, asked once per process. */
export function cgroupLayout(): Promise<CgroupLayout | null> {
  layoutPromise ??= docker()
    .info()
    .then((info: { CgroupVersion?: string; CgroupDriver?: string }) => ({
      version: info.CgroupVersion === "2" ? (2 as const) : (1 as const),
      driver: info.CgroupDriver === "systemd" ? ("systemd" as const) : ("cgroupfs" as const),
      root: "/sys/fs/cgroup",
      proc: "/proc",
    }))
    .catch(() => {
      layoutPromise = undefined;
      return null;
    });
  return layoutPromise;
}

export type CounterReadings = {
  counters: Map<string, ContainerCounters>;
  viaCgroup: number;
  viaApi: number;
};

export async function readContainerCounters(
  containerIds: readonly string[],
  config: Pick<MetricsConfig, "source" | "statsConcurrency">,
  hostNetwork: ReadonlySet<string> = new Set(),
): Promise<CounterReadings> {
  let counters = new Map<string, ContainerCounters>();
  let missing = containerIds;
  if (config.source !== "api") {
    const layout = await cgroupLayout();
    if (layout) counters = readStatsViaCgroup(layout, containerIds, hostNetwork);
    missing = containerIds.filter((id) => !counters.has(id));
  }
  const viaCgroup = counters.size;
  if (config.source !== "cgroup" && missing.length > 0) {
    for (const [id, value] of await readStatsViaApi(missing, config.statsConcurrency)) counters.set(id, value);
  }
  return { counters, viaCgroup, viaApi: counters.size - viaCgroup };
}
