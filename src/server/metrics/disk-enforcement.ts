// What the Docker host can enforce about a plan's disk, read from the engine (docker info), for
// the admin settings page. Hearth measures each tenant's volumes and container layers and alerts
// at 80% and 95% of the plan's disk; whether writes can be stopped at the limit depends on the
// host's storage, which Hearth cannot change.
import "server-only";
import { z } from "zod";
import { docker } from "@/server/docker/client";
import { DISK_FULL_RATIO, DISK_HIGH_RATIO } from "./alert-rules";

const infoSchema = z.object({
  Driver: z.string().catch("unknown"),
  DriverStatus: z.array(z.tuple([z.string(), z.string()])).nullish().catch(null),
  SecurityOptions: z.array(z.string()).nullish().catch(null),
});

export type DiskEnforcement = {
  measured: string;
  volumes: string;
  layers: string;
  engine: string | null;
};

/** The statement itself, from the engine's storage driver and backing file system. */
export function describeDiskEnforcement(info: { driver: string; backingFs: string | null } | null): DiskEnforcement {
  const measured = `Hearth measures each tenant's disk use (its volumes and its containers' writable layers) and alerts the tenant and the host at ${Math.round(DISK_HIGH_RATIO * 100)}% and ${Math.round(DISK_FULL_RATIO * 100)}% of the plan's disk. It does not stop writes at the limit.`;
  const volumes =
    "Volumes (the database, Redis and media, where nearly all data lives) use Docker's local driver, which has no size limit: a hard limit needs the host's own storage, for example each tenant's volumes on a file system with project quotas (XFS with pquota) or a volume driver that takes a size.";
  if (!info) {
    return { measured, volumes, layers: "The Docker engine could not be asked which storage it uses.", engine: null };
  }
  const quotaCapable = info.driver === "overlay2" && info.backingFs === "xfs";
  const layers = quotaCapable
    ? "This engine stores container layers with overlay2 on XFS: with the pquota mount option, a per-container size limit (--storage-opt size) could be enforced for writable layers; the apps write to volumes, so it would not cap their data."
    : `This engine stores container layers with ${info.driver}${info.backingFs ? ` on ${info.backingFs}` : ""}, which cannot limit a container's writable layer.`;
  return { measured, volumes, layers, engine: `${info.driver}${info.backingFs ? ` on ${info.backingFs}` : ""}` };
}

export async function getDiskEnforcement(): Promise<DiskEnforcement> {
  try {
    const info = infoSchema.parse(await docker().info());
    const backingFs = info.DriverStatus?.find(([key]) => key === "Backing Filesystem")?.[1] ?? null;
    return describeDiskEnforcement({ driver: info.Driver, backingFs });
  } catch {
    return describeDiskEnforcement(null);
  }
}
