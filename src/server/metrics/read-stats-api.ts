// Counters through the Docker API: one non-streaming, one-shot stats call per container.
// dockerd answers these from its own collector, which samples every subscribed container
// once per second; calls that wait in our queue wait a whole tick each, so the
// concurrency must cover the containers of one host to finish a sweep in about one tick.
import "server-only";
import { docker } from "@/server/docker/client";
import { mapLimit } from "./map-limit";
import { parseDockerStats } from "./parse-docker-stats";
import type { ContainerCounters } from "./counters";

export async function readStatsViaApi(
  containerIds: readonly string[],
  concurrency: number,
): Promise<Map<string, ContainerCounters>> {
  const counters = new Map<string, ContainerCounters>();
  await mapLimit(containerIds, concurrency, async (id) => {
    try {
      const raw: unknown = await docker().getContainer(id).stats({ stream: false, "one-shot": true });
      const parsed = parseDockerStats(raw);
      if (parsed) counters.set(id, parsed);
    } catch {
      // Gone between the listing and the stats call: it simply has no reading this sweep.
    }
  });
  return counters;
}
