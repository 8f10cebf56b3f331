// The chart components render accessible, script-free SVG from chart data.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { LoadChart } from "@/server/metrics/get-load-chart";
import { formatBytes, formatCpu } from "@/lib/format";
import { linePath, niceCeiling } from "./line-chart";
import { LoadCharts } from "./load-charts";
import { AlertList } from "./alert-list";

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

function chart(range: LoadChart["range"], points: number): LoadChart {
  return {
    communityId: "c1",
    name: "Kind Town",
    range,
    from: T0 - 3600_000,
    to: T0,
    stepMs: 15_000,
    limits: { cpuPercent: 100, memoryBytes: 2 * 1024 ** 3, diskBytes: 20 * 1024 ** 3 },
    state: null,
    points: Array.from({ length: points }, (_, i) => ({
      at: T0 - 3600_000 + i * 15_000,
      cpuPercent: i % 2 ? 40 : 60,
      cpuMax: 70,
      memoryBytes: 1024 ** 3,
      memoryMax: 1.5 * 1024 ** 3,
      netRxBps: 1000,
      netTxBps: 2000,
      diskReadBps: 0,
      diskWriteBps: 10,
      diskBytes: i === 0 ? null : 5 * 1024 ** 3,
    })),
  };
}

describe("line charts", () => {
  it("round axis maxima", () => {
    expect([0, 0.7, 1, 3, 42, 101, 240].map(niceCeiling)).toEqual([1, 1, 1, 5, 50, 200, 250]);
  });

  it("joins points a step apart and breaks the line at gaps and missing values", () => {
    const x = (t: number) => t;
    const y = (v: number) => v;
    expect(linePath([0, 10, 20, 100, 110, 120], [1, 2, null, 4, 5, 6], x, y, 25)).toBe(
      "M0.0 1.0L10.0 2.0M100.0 4.0L110.0 5.0L120.0 6.0",
    );
  });

  it("renders five labelled charts with the plan's limits and the range links", () => {
    const html = renderToStaticMarkup(createElement(LoadCharts, { chart: chart("hour", 240), hrefForRange: (r) => `/x?range=${r}` }));
    expect(html.match(/role="img"/g)).toHaveLength(5);
    expect(html).toContain('aria-labelledby="load-c1-cpu-title"');
    expect(html).toContain("CPU: latest 40 %, peak 60 %; plan limit 100 %.");
    expect(html).toContain("Memory: latest 1.0 GB, peak 1.0 GB; plan limit 2.0 GB.");
    expect(html).toMatch(/<a[^>]*href="\/x\?range=hour"[^>]*aria-current="page"|<a[^>]*aria-current="page"[^>]*href="\/x\?range=hour"/);
    expect(html).not.toContain("<script");
    // 240 points of data, but the table stays short.
    expect(html.match(/<tr>/g)!.length).toBeLessThan(5 * 27);
  });

  it("shows averages and peaks for rolled-up ranges, and says so when there is no data yet", () => {
    expect(renderToStaticMarkup(createElement(LoadCharts, { chart: chart("day", 3), hrefForRange: () => "#" }))).toContain("CPU (peak)");
    expect(renderToStaticMarkup(createElement(LoadCharts, { chart: chart("week", 0), hrefForRange: () => "#" }))).toContain(
      "No measurements in this period yet",
    );
  });

  it("alert list marks open and resolved alerts", () => {
    const html = renderToStaticMarkup(
      createElement(AlertList, {
        alerts: [
          { id: "a", communityId: "c", communityName: "Kind Town", kind: "DOWN", message: "Kind Town is down.", openedAt: new Date(T0), closedAt: null },
        ],
        showCommunity: true,
      }),
    );
    expect(html).toContain("<strong>Kind Town: </strong>Kind Town is down.");
    expect(html).toContain("Open · since 26 Nov 2026, 12:00 UTC");
  });

  it("formats", () => {
    expect(formatBytes(64 * 1024 * 1024)).toBe("64.0 MB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatCpu(4.25)).toBe("4.3 %");
  });
});
