// The charts of one instance for one range: CPU and memory against the plan's limits,
// network traffic, disk I/O and disk space. Data comes from getLoadChart().
import Link from "next/link";
import type { LoadChart } from "@/server/metrics/get-load-chart";
import { LOAD_RANGES, type LoadRange } from "@/server/metrics/load-ranges";
import { formatBytes, formatCpu, formatRate } from "@/lib/format";
import { LineChart } from "./line-chart";

type Props = {
  chart: LoadChart;
  /** Link to the same page with another range, e.g. (r) => `?range=${r}`. */
  hrefForRange: (range: LoadRange) => string;
};

export function LoadCharts({ chart, hrefForRange }: Props) {
  const { points, limits } = chart;
  const times = points.map((p) => p.at);
  const common = { times, from: chart.from, to: chart.to, stepMs: chart.stepMs };
  const id = (name: string) => `load-${chart.communityId}-${name}`;
  const hasDisk = points.some((p) => p.diskBytes !== null);
  const averaged = chart.range !== "hour";

  return (
    <section className="load-charts" aria-labelledby={id("heading")}>
      <div className="load-charts-head">
        <h2 id={id("heading")}>Server load</h2>
        <nav aria-label="Time range">
          <ul className="load-ranges">
            {(Object.keys(LOAD_RANGES) as LoadRange[]).map((range) => (
              <li key={range}>
                <Link href={hrefForRange(range)} aria-current={range === chart.range ? "page" : undefined}>
                  {LOAD_RANGES[range].label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {points.length === 0 ? (
        <p className="hint">No measurements in this period yet. They appear a minute after the server starts.</p>
      ) : (
        <div className="load-grid-charts">
          <LineChart
            {...common}
            id={id("cpu")}
            title="CPU"
            format={formatCpu}
            limit={{ value: limits.cpuPercent, label: "plan limit" }}
            series={[
              { label: averaged ? "CPU (average)" : "CPU", values: points.map((p) => p.cpuPercent), tone: "primary" },
              ...(averaged ? [{ label: "CPU (peak)", values: points.map((p) => p.cpuMax), tone: "secondary" as const }] : []),
            ]}
          />
          <LineChart
            {...common}
            id={id("memory")}
            title="Memory"
            format={formatBytes}
            limit={{ value: limits.memoryBytes, label: "plan limit" }}
            series={[
              { label: averaged ? "Memory (average)" : "Memory", values: points.map((p) => p.memoryBytes), tone: "primary" },
              ...(averaged
                ? [{ label: "Memory (peak)", values: points.map((p) => p.memoryMax), tone: "secondary" as const }]
                : []),
            ]}
          />
          <LineChart
            {...common}
            id={id("network")}
            title="Network"
            format={formatRate}
            series={[
              { label: "Received", values: points.map((p) => p.netRxBps), tone: "primary" },
              { label: "Sent", values: points.map((p) => p.netTxBps), tone: "secondary" },
            ]}
          />
          <LineChart
            {...common}
            id={id("disk-io")}
            title="Disk reads and writes"
            format={formatRate}
            series={[
              { label: "Read", values: points.map((p) => p.diskReadBps), tone: "primary" },
              { label: "Written", values: points.map((p) => p.diskWriteBps), tone: "secondary" },
            ]}
          />
          {hasDisk && (
            <LineChart
              {...common}
              id={id("disk")}
              title="Disk space"
              format={formatBytes}
              limit={{ value: limits.diskBytes, label: "plan limit" }}
              series={[{ label: "Used", values: points.map((p) => p.diskBytes), tone: "primary" }]}
            />
          )}
        </div>
      )}
    </section>
  );
}
