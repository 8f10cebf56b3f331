// Turns one sweep's figures into each instance's next state, the rows to write, and the
// alerts to open or close. Reads what it needs in three queries, whatever the tenant count.
import "server-only";
import type { AlertKind, LoadState } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { wantedAlerts, wantsRecommendation, type WantedAlert } from "./alert-rules";
import { emptyFigures, type TenantFigures } from "./aggregate-tenants";
import { nextLoadMemory, type LoadMemory } from "./load-state";
import { recommendPlan, type PlanLimits } from "./recommend-plan";
import type { MetricsConfig } from "./config";

const MIB = 1024 * 1024;

export type TenantLoadRow = LoadMemory & {
  communityId: string;
  figures: TenantFigures;
  /** The figures shown as "latest": this sweep's, or the last ones when it had no rates. */
  cpuPercent: number;
  memoryBytes: number;
  netRxBps: number;
  netTxBps: number;
  diskReadBps: number;
  diskWriteBps: number;
  sampled: boolean;
};

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
  const [communities, openAlerts] = await Promise.all([
    db.community.findMany({
      // Tenants seen on the engine, instances meant to run, and any with an alert to close.
      where: {
        OR: [{ id: { in: [...tenants.keys()] } }, { status: "LIVE" }, { alerts: { some: { closedAt: null } } }],
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
  const openByCommunity = new Map<string, typeof openAlerts>();
  for (const alert of openAlerts) openByCommunity.set(alert.communityId, [...(openByCommunity.get(alert.communityId) ?? []), alert]);
  let plans: PlanLimits[] | undefined;

  const result: Evaluation = { loads: [], changes: [], open: [], close: [] };
  for (const community of communities) {
    const figures = tenants.get(community.id) ?? emptyFigures(community.id);
    const previous = community.load;
    const sampled = figures.rated > 0;
    const { memory, reason } = nextLoadMemory(
      previous,
      {
        at,
        containersRunning: figures.containersRunning,
        failing: figures.failing,
        cpuRatio: sampled ? figures.rates.cpuPercent / (community.plan.cpuMillis / 10) : null,
        memoryRatio: figures.measured > 0 ? figures.memoryBytes / (community.plan.memoryMb * MIB) : null,
      },
      config,
    );
    if (previous?.state !== memory.state) {
      result.changes.push({ communityId: community.id, from: previous?.state ?? null, to: memory.state, at, reason });
    }
    const keep = !sampled && figures.containersRunning > 0 && previous;
    result.loads.push({
      ...memory,
      communityId: community.id,
      figures,
      sampled,
      cpuPercent: sampled ? figures.rates.cpuPercent : keep ? previous.cpuPercent : 0,
      memoryBytes: figures.measured > 0 ? figures.memoryBytes : keep ? Number(previous.memoryBytes) : 0,
      netRxBps: sampled ? figures.rates.netRxBps : keep ? previous.netRxBps : 0,
      netTxBps: sampled ? figures.rates.netTxBps : keep ? previous.netTxBps : 0,
      diskReadBps: sampled ? figures.rates.blkReadBps : keep ? previous.diskReadBps : 0,
      diskWriteBps: sampled ? figures.rates.blkWriteBps : keep ? previous.diskWriteBps : 0,
    });

    // Alerts only for instances that are meant to run; a suspended one is quiet on purpose.
    const open = openByCommunity.get(community.id) ?? [];
    let wanted: WantedAlert[] = [];
    if (community.status === "LIVE") {
      const openRecommendation = open.find((a) => a.kind === "PLAN_RECOMMENDATION");
      const recommendedFor = (openRecommendation?.details as { planId?: string } | null)?.planId ?? "";
      let recommendation: { plan: PlanLimits | null } | undefined;
      if (wantsRecommendation(memory, at, config.recommendAfterMs, openRecommendation ? { planId: recommendedFor } : null, community.plan.id)) {
        // Only worked out when a recommendation is first opened; an open one keeps its words.
        if (!openRecommendation) {
          plans ??= await db.plan.findMany({
            where: { active: true },
            select: { id: true, name: true, cpuMillis: true, memoryMb: true, monthlyCost: true },
          });
          const peak = await db.loadSample.aggregate({
            where: { communityId: community.id, at: { gte: memory.heavySince ?? at } },
            _max: { cpuPercent: true, memoryBytes: true },
          });
          const calm = Math.min(config.heavyCpu, config.heavyMemory) - config.hysteresis;
          const usage = {
            cpuPercent: Math.max(peak._max.cpuPercent ?? 0, figures.rates.cpuPercent),
            memoryBytes: Math.max(Number(peak._max.memoryBytes ?? 0), figures.memoryBytes),
          };
          recommendation = { plan: recommendPlan(community.plan, plans, usage, calm) };
        } else recommendation = { plan: null };
      }
      // Disk from the last measurement (volumes and container layers, every METRICS_DISK_INTERVAL_SECONDS).
      const disk = previous?.diskBytes == null ? null : { bytes: Number(previous.diskBytes), planGb: community.plan.diskGb };
      wanted = wantedAlerts({ name: community.name, memory, reason, at, currentPlan: community.plan, recommendation, disk });
    }
    const wantedKinds = new Set<AlertKind>(wanted.map((w) => w.kind));
    const openKinds = new Set<AlertKind>(open.map((a) => a.kind));
    for (const w of wanted) if (!openKinds.has(w.kind)) result.open.push({ communityId: community.id, ...w });
    for (const a of open) if (!wantedKinds.has(a.kind)) result.close.push(a.id);
  }
  return result;
}
