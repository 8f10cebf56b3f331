// Observed state, read from Docker by label: which containers of a tenant exist and run. The
// reconcile loop compares it with the desired state to find drift (a container removed or
// exited behind Hearth's back, an instance started by hand while it should be stopped).
import type Docker from "dockerode";
import type { InstanceDesiredState, InstancePhase, InstanceRunKind, Software } from "@/generated/prisma/client";
import { LABEL } from "@/server/docker/labels";
import { LONG_RUNNING } from "./templates";

export type ObservedContainer = { name: string; component: string; state: string; status: string };

export function observedContainers(containers: Docker.ContainerInfo[]): Map<string, ObservedContainer[]> {
  const byTenant = new Map<string, ObservedContainer[]>();
  for (const c of containers) {
    const tenant = c.Labels[LABEL.tenant];
    if (!tenant) continue;
    const list = byTenant.get(tenant) ?? [];
    list.push({
      name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
      component: c.Labels[LABEL.component] ?? "?",
      state: c.State,
      status: c.Status,
    });
    byTenant.set(tenant, list);
  }
  return byTenant;
}

const UP = new Set(["running", "restarting"]);

/** The run an instance at rest needs to match Docker again, or null when it matches. */
export function driftRun(
  instance: { desiredState: InstanceDesiredState; phase: InstancePhase; software: Software },
  containers: ObservedContainer[],
  otherObjects: number,
): InstanceRunKind | null {
  switch (instance.desiredState) {
    case "RUNNING": {
      if (instance.phase !== "RUNNING") return null;
      const up = new Set(containers.filter((c) => UP.has(c.state)).map((c) => c.component));
      return LONG_RUNNING[instance.software].every((component) => up.has(component)) ? null : "REPAIR";
    }
    case "STOPPED":
      return containers.some((c) => UP.has(c.state)) ? "STOP" : null;
    case "DELETED":
      return containers.length + otherObjects > 0 ? "DELETE" : null;
  }
}
