// Reads a Docker stats answer (GET /containers/{id}/stats, cgroup v1 or v2) into counters.
import { z } from "zod";
import type { ContainerCounters } from "./counters";

const count = z.number().nonnegative().catch(0);

const dockerStatsSchema = z.object({
  read: z.string(),
  cpu_stats: z.object({
    cpu_usage: z.object({ total_usage: count, percpu_usage: z.array(z.number()).nullish() }),
    system_cpu_usage: count.optional(),
    online_cpus: count.optional(),
  }),
  memory_stats: z
    .object({ usage: count.optional(), stats: z.record(z.string(), z.number()).nullish() })
    .catch({}),
  networks: z.record(z.string(), z.object({ rx_bytes: count, tx_bytes: count })).nullish().catch(undefined),
  blkio_stats: z
    .object({
      io_service_bytes_recursive: z
        .array(z.object({ op: z.string(), value: count }))
        .nullish()
        .catch(undefined),
    })
    .nullish()
    .catch(undefined),
});

/**
 * Working set as `docker stats` shows it: usage minus the inactive file cache, which the
 * kernel can drop at will. cgroup v1 reports it as total_inactive_file (the hierarchy),
 * v2 as inactive_file.
 */
export function workingSet(usage: number, stats: Record<string, number> | null | undefined): number {
  const inactive = stats?.total_inactive_file ?? stats?.inactive_file ?? 0;
  return inactive < usage ? usage - inactive : usage;
}

/** Counters from one stats answer, or null when the container was not running. */
export function parseDockerStats(raw: unknown): ContainerCounters | null {
  const parsed = dockerStatsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const s = parsed.data;
  const readAt = Date.parse(s.read);
  // A stopped container answers with zero time and empty counters.
  if (!Number.isFinite(readAt) || readAt <= 0 || !s.cpu_stats.system_cpu_usage) return null;
  let netRxBytes = 0;
  let netTxBytes = 0;
  for (const network of Object.values(s.networks ?? {})) {
    netRxBytes += network.rx_bytes;
    netTxBytes += network.tx_bytes;
  }
  let blkReadBytes = 0;
  let blkWriteBytes = 0;
  for (const entry of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    // v1 says "Read"/"Write" (and "Total"), v2 "read"/"write".
    const op = entry.op.toLowerCase();
    if (op === "read") blkReadBytes += entry.value;
    else if (op === "write") blkWriteBytes += entry.value;
  }
  return {
    cpuNs: s.cpu_stats.cpu_usage.total_usage,
    systemNs: s.cpu_stats.system_cpu_usage,
    onlineCpus: s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 1,
    memoryBytes: workingSet(s.memory_stats.usage ?? 0, s.memory_stats.stats),
    netRxBytes,
    netTxBytes,
    blkReadBytes,
    blkWriteBytes,
    readAt,
  };
}
