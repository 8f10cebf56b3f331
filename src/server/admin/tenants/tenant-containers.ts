// The tenant's containers as Docker sees them, found by label (this installation and this
// tenant only), with state and health from one list call. The engine gets a short deadline:
// a slow or stopped engine makes the card say so instead of holding up the whole page.
import "server-only";
import type Docker from "dockerode";
import { docker } from "@/server/docker/client";
import { LABEL, labelFilters } from "@/server/docker/labels";

export type TenantContainerView = {
  id: string;
  name: string;
  component: string;
  image: string;
  state: string;
  /** healthy, unhealthy, starting, or none (no health check). */
  health: "healthy" | "unhealthy" | "starting" | "none";
  status: string;
};

export type ContainersResult = { ok: true; containers: TenantContainerView[] } | { ok: false; error: string };

export function healthOf(status: string): TenantContainerView["health"] {
  if (/\(healthy\)/.test(status)) return "healthy";
  if (/\(unhealthy\)/.test(status)) return "unhealthy";
  if (/\(health: starting\)/.test(status)) return "starting";
  return "none";
}

export function toContainerView(c: Docker.ContainerInfo): TenantContainerView {
  return {
    id: c.Id.slice(0, 12),
    name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
    component: c.Labels?.[LABEL.component] ?? "unknown",
    image: c.Image,
    state: c.State,
    health: healthOf(c.Status),
    status: c.Status,
  };
}

export async function tenantContainers(communityId: string, timeoutMs = 1_500, client: Docker = docker()): Promise<ContainersResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const filters = await labelFilters(communityId);
    const listed = await Promise.race([
      client.listContainers({ all: true, filters, abortSignal: signal }),
      new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true })),
    ]);
    const containers = listed.map(toContainerView).sort((a, b) => a.component.localeCompare(b.component));
    return { ok: true, containers };
  } catch (error) {
    if (signal.aborted) return { ok: false, error: `The Docker engine did not answer within ${timeoutMs} ms.` };
    const code = (error as { code?: string }).code;
    return { ok: false, error: code === "ENOENT" || code === "ECONNREFUSED" ? "The Docker engine cannot be reached." : "The Docker engine returned an error." };
  }
}
