// Mount point for the organiser's dashboard and the admin's tenant page: the state in
// words, the charts for the chosen range and the recent alerts of one instance. A server
// component; the page passes the caller's authorisation as a Community filter.
import type { Prisma } from "@/generated/prisma/client";
import { getLoadChart } from "@/server/metrics/get-load-chart";
import { getInstanceState } from "@/server/metrics/instance-state";
import { listAlerts } from "@/server/metrics/list-alerts";
import type { LoadRange } from "@/server/metrics/load-ranges";
import { AlertList } from "./alert-list";
import { InstanceStateBadge } from "./instance-state-badge";
import { LoadCharts } from "./load-charts";

type Props = {
  communityId: string;
  range: LoadRange;
  /** e.g. communityWhere(actor, "instance.read"); `{}` only for a host admin. */
  access: Prisma.CommunityWhereInput;
  /** The page's own path; range links append `?range=`. */
  basePath: string;
};

export async function CommunityLoadPanel({ communityId, range, access, basePath }: Props) {
  // getLoadChart checks access first (NOT_FOUND otherwise); the rest only runs after it.
  const chart = await getLoadChart({ communityId, range, access });
  const [state, alerts] = await Promise.all([
    getInstanceState(communityId),
    listAlerts({ access, communityId, take: 10 }),
  ]);
  return (
    <div className="stack load-panel">
      <InstanceStateBadge state={state} sentence />
      <LoadCharts chart={chart} hrefForRange={(r) => `${basePath}?range=${r}`} />
      <section aria-labelledby={`alerts-${communityId}`}>
        <h2 id={`alerts-${communityId}`}>Alerts</h2>
        <AlertList alerts={alerts} />
      </section>
    </div>
  );
}
