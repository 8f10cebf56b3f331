// Stopping an instance: the app processes first (they hold connections), then the database and
// Redis. Containers, networks and volumes stay, so a start brings the same instance back.
import "server-only";
import { db } from "@/server/db/client";
import { LABEL, labelFilters } from "@/server/docker/labels";
import { stopContainer } from "./docker-objects";
import type { PlanContext } from "./run-plan-context";
import { unrouteStep } from "./run-plan-ingress";
import type { PlannedStage, Stage } from "./run-steps";

const DATA = new Set(["db", "redis"]);

export function stopPlan(ctx: PlanContext): PlannedStage[] {
  // What to stop is read from Docker (by label), so an instance that never got its secrets
  // (or half-provisioned) stops just as well.
  let running: { name: string; component: string }[] | undefined;
  const observe = async () => {
    running ??= (await ctx.docker.listContainers({ filters: await labelFilters(ctx.tenant.tenantId) }))
      .filter((c) => c.State === "running" || c.State === "restarting")
      .map((c) => ({ name: (c.Names[0] ?? c.Id).replace(/^\//, ""), component: c.Labels[LABEL.component] ?? "?" }));
    return running;
  };
  const stage = (data: boolean): Stage => [
    {
      key: data ? "stop:data" : "stop:app",
      label: data ? "Stop PostgreSQL and Redis" : "Stop the app processes",
      run: async () => {
        const targets = (await observe()).filter((c) => DATA.has(c.component) === data);
        // No timeout argument: Docker uses each container's own StopTimeout from its template.
        await Promise.all(targets.map((c) => stopContainer(ctx.docker, c.name, undefined)));
        return targets.length ? `Stopped ${targets.map((c) => c.component).join(", ")}` : "Nothing was running";
      },
    },
  ];
  return [
    // The paused page first: visitors see it instead of a proxy error while the app stops.
    ...(ctx.config.HEARTH_INGRESS === "on" ? [[unrouteStep(ctx)]] : []),
    stage(false),
    stage(true),
    [
      {
        key: "addresses",
        label: "Release the published addresses",
        run: async () => {
          await db.instance.update({ where: { id: ctx.instance.id }, data: { webAddress: null, streamingAddress: null } });
        },
      },
    ],
  ];
}
