// One sweep's figures against the plan, the figures shown as latest, and which alerts open and
// close: the pure steps of evaluateTenants (evaluate-tenants.ts), each on its own.
import { describe, expect, it } from "vitest";
import { alertChanges } from "./alert-rules";
import { emptyFigures, type TenantFigures } from "./aggregate-tenants";
import { latestFigures, observationOf, type KeptFigures } from "./sweep-figures";

const at = new Date("2026-03-01T12:00:00Z");
const MIB = 1024 * 1024;
const figures = (over: Partial<TenantFigures>): TenantFigures => ({ ...emptyFigures("t1"), ...over });
const rates = { cpuPercent: 50, netRxBps: 10, netTxBps: 20, blkReadBps: 30, blkWriteBps: 40 };
const kept: KeptFigures = { cpuPercent: 7, memoryBytes: 123n, netRxBps: 1, netTxBps: 2, diskReadBps: 3, diskWriteBps: 4 };

describe("observationOf", () => {
  const plan = { cpuMillis: 1000, memoryMb: 512 };
  it("measures CPU and memory as shares of the plan (1 = at its limit)", () => {
    const seen = observationOf(figures({ containersRunning: 2, failing: ["web"], rated: 1, measured: 1, rates, memoryBytes: 256 * MIB }), plan, at);
    // 50 % of one CPU on a one-CPU plan: half of it.
    expect(seen).toEqual({ at, containersRunning: 2, failing: ["web"], cpuRatio: 0.5, memoryRatio: 0.5 });
  });

  it("says nothing of CPU without a rate, nor of memory without a reading", () => {
    expect(observationOf(figures({ containersRunning: 1, measured: 1, memoryBytes: 512 * MIB }), plan, at)).toMatchObject({ cpuRatio: null, memoryRatio: 1 });
    expect(observationOf(figures({ containersRunning: 1 }), plan, at)).toMatchObject({ cpuRatio: null, memoryRatio: null });
  });
});

describe("latestFigures", () => {
  it("shows this sweep's figures when it has rates", () => {
    expect(latestFigures(figures({ containersRunning: 1, rated: 1, measured: 1, rates, memoryBytes: 99 }), kept)).toEqual({
      sampled: true,
      cpuPercent: 50,
      memoryBytes: 99,
      netRxBps: 10,
      netTxBps: 20,
      diskReadBps: 30,
      diskWriteBps: 40,
    });
  });

  it("keeps the last figures while containers run without new rates, and memory from a fresh reading", () => {
    expect(latestFigures(figures({ containersRunning: 1 }), kept)).toEqual({ sampled: false, cpuPercent: 7, memoryBytes: 123, netRxBps: 1, netTxBps: 2, diskReadBps: 3, diskWriteBps: 4 });
    expect(latestFigures(figures({ containersRunning: 1, measured: 1, memoryBytes: 555 }), kept)).toMatchObject({ sampled: false, cpuPercent: 7, memoryBytes: 555 });
  });

  it("shows zeros when nothing runs, or nothing was kept", () => {
    const zeros = { sampled: false, cpuPercent: 0, memoryBytes: 0, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0 };
    expect(latestFigures(figures({ containersRunning: 0 }), kept)).toEqual(zeros);
    expect(latestFigures(figures({ containersRunning: 2 }), null)).toEqual(zeros);
  });
});

describe("alertChanges", () => {
  it("opens the wanted kinds not open yet and closes the open ones no longer wanted; an open wanted alert stays", () => {
    const wanted = [
      { kind: "DOWN" as const, message: "Birds is down." },
      { kind: "DISK_HIGH" as const, message: "Birds uses 80%." },
    ];
    const open = [
      { id: "a1", kind: "DISK_HIGH" as const },
      { id: "a2", kind: "HEAVY_LOAD" as const },
    ];
    expect(alertChanges(wanted, open)).toEqual({ open: [wanted[0]], close: ["a2"] });
    expect(alertChanges([], open)).toEqual({ open: [], close: ["a1", "a2"] });
    expect(alertChanges(wanted, [])).toEqual({ open: wanted, close: [] });
  });
});
