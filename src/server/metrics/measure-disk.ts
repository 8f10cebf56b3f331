// Disk use, the expensive measurement (dockerd walks every volume): per tenant, its
// labelled volumes plus the writable layers of its containers; for the host, the whole
// Docker data root and, when the engine runs on this machine, its filesystem.
import "server-only";
import { statfs } from "node:fs/promises";
import { z } from "zod";
import { docker } from "@/server/docker/client";
import { LABEL, installationId } from "@/server/docker/labels";
import { engineIsLocal, hostInfo } from "./host-info";

const size = z.number().catch(0).transform((n) => (n > 0 ? n : 0));
const labels = z.record(z.string(), z.string()).nullish().catch(null);

const dfSchema = z.object({
  LayersSize: size.optional(),
  Containers: z.array(z.object({ SizeRw: size.optional(), Labels: labels })).nullish().catch(null),
  Volumes: z
    .array(z.object({ Labels: labels, UsageData: z.object({ Size: size }).nullish().catch(null) }))
    .nullish()
    .catch(null),
  BuildCache: z.array(z.object({ Size: size.optional() })).nullish().catch(null),
});

export type DiskMeasurement = {
  measuredAt: Date;
  perTenant: Map<string, number>;
  dockerDiskBytes: number;
  volumesDiskBytes: number;
  fsTotalBytes: number | null;
  fsFreeBytes: number | null;
};

export async function measureDisk(): Promise<DiskMeasurement> {
  const [raw, installation, info] = await Promise.all([docker().df(), installationId(), hostInfo()]);
  const df = dfSchema.parse(raw);
  const perTenant = new Map<string, number>();
  const add = (tags: Record<string, string> | null | undefined, bytes: number) => {
    const tenant = tags?.[LABEL.tenant];
    if (tenant && tags?.[LABEL.installation] === installation) perTenant.set(tenant, (perTenant.get(tenant) ?? 0) + bytes);
  };
  let containersBytes = 0;
  for (const c of df.Containers ?? []) {
    containersBytes += c.SizeRw ?? 0;
    add(c.Labels, c.SizeRw ?? 0);
  }
  let volumesDiskBytes = 0;
  for (const v of df.Volumes ?? []) {
    volumesDiskBytes += v.UsageData?.Size ?? 0;
    add(v.Labels, v.UsageData?.Size ?? 0);
  }
  const buildCache = (df.BuildCache ?? []).reduce((sum, b) => sum + (b.Size ?? 0), 0);
  let fsTotalBytes: number | null = null;
  let fsFreeBytes: number | null = null;
  if (info && (await engineIsLocal())) {
    try {
      const fs = await statfs(info.dockerRootDir);
      fsTotalBytes = fs.blocks * fs.bsize;
      fsFreeBytes = fs.bavail * fs.bsize;
    } catch {
      // The data root is not visible from here (the worker runs in a container).
    }
  }
  return {
    measuredAt: new Date(),
    perTenant,
    dockerDiskBytes: (df.LayersSize ?? 0) + containersBytes + volumesDiskBytes + buildCache,
    volumesDiskBytes,
    fsTotalBytes,
    fsFreeBytes,
  };
}
