// The engine's own figures (docker info), asked rarely: they change only when the host does.
import "server-only";
import { hostname } from "node:os";
import { z } from "zod";
import { env } from "@/server/config/env";
import { docker } from "@/server/docker/client";

const infoSchema = z.object({
  ID: z.string(),
  Name: z.string().catch(""),
  NCPU: z.number().catch(0),
  MemTotal: z.number().catch(0),
  DockerRootDir: z.string().catch("/var/lib/docker"),
});

export type HostInfo = { id: string; name: string; cpus: number; memoryBytes: number; dockerRootDir: string };

let cached: { value: HostInfo; at: number } | undefined;

export async function hostInfo(maxAgeMs = 10 * 60_000): Promise<HostInfo | null> {
  if (cached && Date.now() - cached.at < maxAgeMs) return cached.value;
  try {
    const info = infoSchema.parse(await docker().info());
    cached = {
      value: { id: info.ID, name: info.Name, cpus: info.NCPU, memoryBytes: info.MemTotal, dockerRootDir: info.DockerRootDir },
      at: Date.now(),
    };
    return cached.value;
  } catch {
    return cached?.value ?? null;
  }
}

/** The engine runs on this machine: its socket is local and it calls itself by our host name. */
export async function engineIsLocal(): Promise<boolean> {
  const dockerHost = env().DOCKER_HOST;
  if (dockerHost && !dockerHost.startsWith("unix://")) return false;
  return (await hostInfo())?.name === hostname();
}
