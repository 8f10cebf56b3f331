// Counters through the Docker API: one non-streaming, one-shot stats call per container.
// dockerd answers these from its own collector, which samples every subscribed container
// once per second; calls that wait in our queue wait a whole tick each, so the
// concurrency must cover the containers of one host to finish a sweep in about one tick.
import "server-only";
import { docker } from "@/server/docker/client";
import { mapLimit } from "@/lib/map-limit";
import { parseDockerStats } from "./parse-docker-stats";
import type { ContainerCounters } from "./counters";

/** Stops waiting for a call that hangs (a stuck engine must not stop the collector). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export async function readStatsViaApi(
  containerIds: readonly string[],
  concurrency: number,
): Promise<Map<string, ContainerCounters>> {
  const counters = new Map<string, ContainerCounters>();
  await mapLimit(containerIds, concurrency, async (id) => {
    try {
      const raw: unknown = await withDeadline(docker().getContainer(id).stats({ stream: false, "one-shot": true }), 5_000);
      const parsed = parseDockerStats(raw);
      if (parsed) counters.set(id, parsed);
    } catch {
      // Gone between the listing and the stats call, or no answer in time: no reading this sweep.
    }
  });
  return counters;
}
