// Latest load of many tenants at once, for the admin's tenant table: one primary-key
// lookup per row (TenantLoad is one row per community), plan limits joined for the ratios.
import "server-only";
import type { LoadState, Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";

export type TenantLoadView = {
  communityId: string;
  state: LoadState;
  stateSince: Date;
  sampledAt: Date;
  /** Share of the plan's limits, 1 = at the limit. */
  cpuRatio: number;
  memoryRatio: number;
  diskRatio: number | null;
  cpuPercent: number;
  memoryBytes: number;
  diskBytes: number | null;
  netRxBps: number;
  netTxBps: number;
  containersRunning: number;
  containersTotal: number;
};

/** `access`: the caller's authorisation as a Community filter (`{}` for a host admin). */
export async function listTenantLoads(input: {
  access: Prisma.CommunityWhereInput;
  communityIds: readonly string[];
}): Promise<Map<string, TenantLoadView>> {
  const rows = await db.tenantLoad.findMany({
    where: { communityId: { in: [...input.communityIds] }, community: input.access },
    include: { community: { select: { plan: { select: { cpuMillis: true, memoryMb: true, diskGb: true } } } } },
  });
  return new Map(
    rows.map(({ community: { plan }, ...row }) => [
      row.communityId,
      {
        communityId: row.communityId,
        state: row.state,
        stateSince: row.stateSince,
        sampledAt: row.sampledAt,
        cpuRatio: row.cpuPercent / (plan.cpuMillis / 10),
        memoryRatio: Number(row.memoryBytes) / (plan.memoryMb * 1024 * 1024),
        diskRatio: row.diskBytes === null ? null : Number(row.diskBytes) / (plan.diskGb * 1024 ** 3),
        cpuPercent: row.cpuPercent,
        memoryBytes: Number(row.memoryBytes),
        diskBytes: row.diskBytes === null ? null : Number(row.diskBytes),
        netRxBps: row.netRxBps,
        netTxBps: row.netTxBps,
        containersRunning: row.containersRunning,
        containersTotal: row.containersTotal,
      },
    ]),
  );
}
