// Turns one sweep's figures into each instance's next state, the rows to write, and the
// alerts to open or close. Reads what it needs in three queries, whatever the tenant count.
import "server-only";
import type { AlertKind, LoadState } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { alertChanges, wantedAlerts, wantsRecommendation, type WantedAlert } from "./alert-rules";
import { emptyFigures, type TenantFigures } from "./aggregate-tenants";
import { nextLoadMemory, type LoadMemory } from "./load-state";
import { latestFigures, observationOf, type LatestFigures } from "./sweep-figures";
import { recommendPlan, type PlanLimits } from "./recommend-plan";
import type { MetricsConfig } from "./config";

/** The load row of one tenant: its state, this sweep's figures, and the figures shown as "latest". */
export type TenantLoadRow = LoadMemory & LatestFigures & { communityId: string; figures: TenantFigures };

export type Evaluation = {
  loads: TenantLoadRow[];
  changes: { communityId: string; from: LoadState | null; to: LoadState; at: Date; reason: string }[];
  open: ({ communityId: string } & WantedAlert)[];
  close: string[];
};

export async function evaluateTenants(
  at: Date,
  tenants: ReadonlyMap<string, TenantFigures>,
  config: MetricsConfig,
): Promise<Evaluation> {
  const { communities, openAlerts } = await readTenants([...tenants.keys()]);
  let plans: Promise<PlanLimits[]> | undefined;
  const sweep: Sweep = { at, config, activePlans: () => (plans ??= readActivePlans()) };

  const result: Evaluation = { loads: [], changes: [], open: [], close: [] };
  for (const community of communities) {
    const figures = tenants.get(community.id) ?? emptyFigures(community.id);
    const previous = community.load;
    const { memory, reason } = nextLoadMemory(previous, observationOf(figures, community.plan, at), config);
    if (previous?.state !== memory.state) {
      result.changes.push({ communityId: community.id, from: previous?.state ?? null, to: memory.state, at, reason });
    }
    result.loads.push({ ...memory, communityId: community.id, figures, ...latestFigures(figures, previous) });

    // Alerts only for instances that are meant to run; a suspended one is quiet on purpose.
    const open = openAlerts.get(community.id) ?? [];
    const wanted = community.status === "LIVE" ? await alertsFor(community, { memory, reason, figures }, open, sweep) : [];
    const changes = alertChanges(wanted, open);
    for (const w of changes.open) result.open.push({ communityId: community.id, ...w });
    result.close.push(...changes.close);
  }
  return result;
}

type Tenant = Awaited<ReturnType<typeof readTenants>>["communities"][number];
type OpenAlert = { id: string; communityId: string; kind: AlertKind; details: unknown };
type Sweep = { at: Date; config: MetricsConfig; activePlans: () => Promise<PlanLimits[]> };
type Judged = { memory: LoadMemory; reason: string; figures: TenantFigures };

/** The communities to judge, with plan and last load, and every open alert by community. */
async function readTenants(seen: string[]) {
  const [communities, openAlerts] = await Promise.all([
    db.community.findMany({
      // Tenants seen on the engine, instances meant to run, and any with an alert to close.
      where: {
        OR: [{ id: { in: seen } }, { status: "LIVE" }, { alerts: { some: { closedAt: null } } }],
      },
      select: {
        id: true,
        name: true,
        status: true,
        plan: { select: { id: true, name: true, cpuMillis: true, memoryMb: true, diskGb: true, monthlyCost: true } },
        load: true,
      },
    }),
    db.alert.findMany({ where: { closedAt: null }, select: { id: true, communityId: true, kind: true, details: true } }),
  ]);
  const byCommunity = new Map<string, OpenAlert[]>();
  for (const alert of openAlerts) byCommunity.set(alert.communityId, [...(byCommunity.get(alert.communityId) ?? []), alert]);
  return { communities, openAlerts: byCommunity };
}

const readActivePlans = () =>
  db.plan.findMany({ where: { active: true }, select: { id: true, name: true, cpuMillis: true, memoryMb: true, monthlyCost: true } });

/** The alerts a live instance should have open after this sweep. */
async function alertsFor(community: Tenant, judged: Judged, open: OpenAlert[], sweep: Sweep): Promise<WantedAlert[]> {
  const recommendation = await recommendationFor(community, judged, open, sweep);
  // Disk from the last measurement (volumes and container layers, every METRICS_DISK_INTERVAL_SECONDS).
  const previous = community.load;
  const disk = previous?.diskBytes == null ? null : { bytes: Number(previous.diskBytes), planGb: community.plan.diskGb };
  const { memory, reason } = judged;
  return wantedAlerts({ name: community.name, memory, reason, at: sweep.at, currentPlan: community.plan, recommendation, disk });
}

/**
 * Undefined when no plan recommendation is wanted; otherwise the plan to suggest (null: none
 * larger, or one is already open and keeps its words).
 */
async function recommendationFor(community: Tenant, judged: Judged, open: OpenAlert[], sweep: Sweep): Promise<{ plan: PlanLimits | null } | undefined> {
  const { at, config } = sweep;
  const { memory, figures } = judged;
  const openRecommendation = open.find((a) => a.kind === "PLAN_RECOMMENDATION");
  const recommendedFor = (openRecommendation?.details as { planId?: string } | null)?.planId ?? "";
  if (!wantsRecommendation(memory, at, config.recommendAfterMs, openRecommendation ? { planId: recommendedFor } : null, community.plan.id)) return undefined;
  // Only worked out when a recommendation is first opened; an open one keeps its words.
  if (openRecommendation) return { plan: null };
  const plans = await sweep.activePlans();
  const peak = await db.loadSample.aggregate({
    where: { communityId: community.id, at: { gte: memory.heavySince ?? at } },
    _max: { cpuPercent: true, memoryBytes: true },
  });
  const calm = Math.min(config.heavyCpu, config.heavyMemory) - config.hysteresis;
  const usage = {
    cpuPercent: Math.max(peak._max.cpuPercent ?? 0, figures.rates.cpuPercent),
    memoryBytes: Math.max(Number(peak._max.memoryBytes ?? 0), figures.memoryBytes),
  };
  return { plan: recommendPlan(community.plan, plans, usage, calm) };
}
