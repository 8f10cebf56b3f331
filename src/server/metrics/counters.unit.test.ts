// The arithmetic of server load, without an engine: Docker stats answers (cgroup v1 and
// v2), kernel files, rates across counter resets, and the heavy-load state machine.
import { describe, expect, it } from "vitest";
import { computeRates, type ContainerCounters } from "./counters";
import { parseDockerStats } from "./parse-docker-stats";
import { parseBlockIo, parseNetDev, parseProcStat } from "./read-stats-cgroup";
import { nextLoadMemory, type LoadMemory, type Observation } from "./load-state";
import { recommendPlan } from "./recommend-plan";
import { wantedAlerts, wantsRecommendation } from "./alert-rules";

const base: ContainerCounters = {
  cpuNs: 10e9,
  systemNs: 1000e9,
  onlineCpus: 2,
  memoryBytes: 0,
  netRxBytes: 5_000,
  netTxBytes: 7_000,
  blkReadBytes: 1_000,
  blkWriteBytes: 2_000,
  readAt: 1_000_000,
};

describe("parseDockerStats", () => {
  const v1 = {
    read: "2026-11-26T12:21:37.474459582Z",
    cpu_stats: { cpu_usage: { total_usage: 1540688195, percpu_usage: [1, 2] }, system_cpu_usage: 2341290000000, online_cpus: 2 },
    memory_stats: { usage: 80 * 2 ** 20, stats: { total_inactive_file: 30 * 2 ** 20, inactive_file: 1, cache: 31 * 2 ** 20 } },
    networks: { eth0: { rx_bytes: 100, tx_bytes: 200 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
    blkio_stats: {
      io_service_bytes_recursive: [
        { major: 8, minor: 0, op: "Read", value: 4096 },
        { major: 8, minor: 0, op: "Write", value: 8192 },
        { major: 8, minor: 0, op: "Total", value: 12288 },
      ],
    },
  };

  it("reads cgroup v1: working set without total_inactive_file, traffic and block I/O summed", () => {
    const c = parseDockerStats(v1);
    expect(c).toMatchObject({
      cpuNs: 1540688195,
      systemNs: 2341290000000,
      onlineCpus: 2,
      memoryBytes: 50 * 2 ** 20,
      netRxBytes: 101,
      netTxBytes: 202,
      blkReadBytes: 4096,
      blkWriteBytes: 8192,
    });
    expect(c?.readAt).toBe(Date.parse("2026-11-26T12:21:37.474Z"));
  });

  it("reads cgroup v2: inactive_file, lower-case ops, CPUs from percpu when online_cpus is missing", () => {
    const c = parseDockerStats({
      ...v1,
      cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 1, 1, 1] }, system_cpu_usage: 10 },
      memory_stats: { usage: 100, stats: { inactive_file: 40, active_file: 10 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: "read", value: 3 }, { op: "write", value: 4 }] },
    });
    expect(c).toMatchObject({ onlineCpus: 4, memoryBytes: 60, blkReadBytes: 3, blkWriteBytes: 4 });
  });

  it("returns null for a stopped container's empty answer", () => {
    expect(
      parseDockerStats({ read: "0001-01-01T00:00:00Z", cpu_stats: { cpu_usage: { total_usage: 0 } }, memory_stats: {} }),
    ).toBeNull();
    expect(parseDockerStats({ nonsense: true })).toBeNull();
  });

  it("tolerates null networks and blkio lists (containers without them)", () => {
    const c = parseDockerStats({ ...v1, networks: null, blkio_stats: { io_service_bytes_recursive: null } });
    expect(c).toMatchObject({ netRxBytes: 0, blkReadBytes: 0 });
  });
});

describe("computeRates", () => {
  it("CPU % is cpu delta / system delta x online CPUs x 100; bytes per second from deltas", () => {
    const later = {
      ...base,
      cpuNs: base.cpuNs + 5e9, // half a CPU for 10 s
      systemNs: base.systemNs + 20e9, // 2 CPUs x 10 s
      netRxBytes: base.netRxBytes + 10_000,
      netTxBytes: base.netTxBytes + 20_000,
      blkWriteBytes: base.blkWriteBytes + 1e6,
      readAt: base.readAt + 10_000,
    };
    const rates = computeRates(base, later);
    expect(rates?.cpuPercent).toBeCloseTo(50, 6);
    expect(rates).toMatchObject({ netRxBps: 1_000, netTxBps: 2_000, blkReadBps: 0, blkWriteBps: 100_000 });
  });

  it("a restarted container (counters back near zero) never gives a negative or huge rate", () => {
    const restarted = {
      ...base,
      cpuNs: 1e9,
      systemNs: base.systemNs + 20e9,
      netRxBytes: 300,
      netTxBytes: 0,
      blkReadBytes: 0,
      blkWriteBytes: 0,
      readAt: base.readAt + 10_000,
    };
    const rates = computeRates(base, restarted)!;
    expect(rates.cpuPercent).toBeCloseTo(10, 6); // the 1 s used since the restart, over 10 s
    expect(rates.netRxBps).toBeCloseTo(30, 6);
    for (const value of Object.values(rates)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it("refuses readings out of order or without host time passing", () => {
    expect(computeRates(base, { ...base, readAt: base.readAt - 1 })).toBeNull();
    expect(computeRates(base, { ...base, readAt: base.readAt + 10_000 })).toBeNull();
  });

  it("caps CPU at the number of CPUs", () => {
    const rates = computeRates(base, { ...base, cpuNs: base.cpuNs + 100e9, systemNs: base.systemNs + 2e9, readAt: base.readAt + 1000 });
    expect(rates?.cpuPercent).toBe(200);
  });
});

describe("kernel files", () => {
  it("/proc/stat: user..softirq ticks as ns, and the online CPUs", () => {
    const stat = "cpu  100 1 50 800 10 2 3 7 0 0\ncpu0 50 0 25 400 5 1 1 3 0 0\ncpu1 50 1 25 400 5 1 2 4 0 0\nintr 1\n";
    expect(parseProcStat(stat)).toEqual({ systemNs: 966 * 1e7, onlineCpus: 2 });
  });

  it("/proc/<pid>/net/dev without loopback", () => {
    const dev = [
      "Inter-|   Receive                                                |  Transmit",
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
      "    lo:    9999      10    0    0    0     0          0         0     9999      10    0    0    0     0       0          0",
      "  eth0: 1000 5 0 0 0 0 0 0 2000 6 0 0 0 0 0 0",
      "  eth1:   10 1 0 0 0 0 0 0   20 1 0 0 0 0 0 0",
    ].join("\n");
    expect(parseNetDev(dev)).toEqual({ rx: 1010, tx: 2020 });
  });

  it("block I/O in v1 and v2 formats", () => {
    expect(parseBlockIo("8:0 Read 100\n8:0 Write 50\n8:0 Total 150\n8:16 Read 1\nTotal 151\n")).toEqual({ read: 101, write: 50 });
    expect(parseBlockIo("8:0 rbytes=100 wbytes=50 rios=1 wios=2\n8:16 rbytes=1 wbytes=2\n")).toEqual({ read: 101, write: 52 });
  });
});

describe("heavy-load state machine", () => {
  const thresholds = { heavyCpu: 0.9, heavyMemory: 0.9, hysteresis: 0.1, heavyEnterMs: 300_000, heavyLeaveMs: 300_000 };
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
  const obs = (s: number, cpuRatio: number | null, extra: Partial<Observation> = {}): Observation => ({
    at: at(s),
    containersRunning: 3,
    failing: [],
    cpuRatio,
    memoryRatio: cpuRatio === null ? null : 0.2,
    ...extra,
  });

  function feed(samples: Observation[], start: LoadMemory | null = null) {
    let memory = start;
    const states: string[] = [];
    for (const sample of samples) {
      memory = nextLoadMemory(memory, sample, thresholds).memory;
      states.push(memory.state);
    }
    return { memory: memory!, states };
  }

  it("enters heavy load only after the whole window over the threshold, and leaves after a calm window", () => {
    const busy = Array.from({ length: 22 }, (_, i) => obs(i * 15, 0.95)); // 0..315 s
    const { memory, states } = feed(busy);
    expect(states.indexOf("HEAVY_LOAD")).toBe(20); // 300 s after the first sample over
    expect(memory.heavySince).toEqual(at(300));

    // In the hysteresis band (0.85): neither heavy nor calm; the state holds.
    const band = feed([obs(330, 0.85), obs(345, 0.85)], memory);
    expect(band.states).toEqual(["HEAVY_LOAD", "HEAVY_LOAD"]);

    const calm = Array.from({ length: 22 }, (_, i) => obs(360 + i * 15, 0.3));
    const after = feed(calm, band.memory);
    expect(after.states.indexOf("HEALTHY")).toBe(20);
    expect(after.memory.heavySince).toBeNull();
    expect(after.memory.lastHeavyAt).toEqual(at(360 + 19 * 15));
  });

  it("a single dip under the threshold restarts the window; a sweep without figures does not", () => {
    const samples = [obs(0, 0.95), obs(150, 0.95), obs(165, 0.5), obs(180, 0.95), obs(400, null), obs(470, 0.95)];
    const { memory, states } = feed(samples);
    expect(memory.overSince).toEqual(at(180));
    expect(states.at(-1)).toBe("HEALTHY"); // 290 s since 180: not yet the 300 s window
    expect(feed([obs(485, 0.95)], memory).states).toEqual(["HEAVY_LOAD"]);
  });

  it("down beats unhealthy beats heavy load; stateSince changes only with the state", () => {
    const first = nextLoadMemory(null, obs(0, 0.2), thresholds);
    expect(first.memory.state).toBe("HEALTHY");
    const sick = nextLoadMemory(first.memory, obs(15, 0.2, { failing: ["web health check failing"] }), thresholds);
    expect(sick.memory.state).toBe("UNHEALTHY");
    expect(sick.reason).toBe("web health check failing");
    const down = nextLoadMemory(sick.memory, obs(30, null, { containersRunning: 0, failing: ["web dead"] }), thresholds);
    expect(down.memory).toMatchObject({ state: "DOWN", stateSince: at(30), overSince: null, heavySince: null });
    const stillDown = nextLoadMemory(down.memory, obs(45, null, { containersRunning: 0 }), thresholds);
    expect(stillDown.memory.stateSince).toEqual(at(30));
  });

  it("memory alone can make an instance heavy", () => {
    const m = nextLoadMemory(null, { ...obs(0, 0.1), memoryRatio: 0.97 }, { ...thresholds, heavyEnterMs: 0 });
    expect(m.memory.state).toBe("HEAVY_LOAD");
    expect(m.reason).toMatch(/^memory at 97 %/);
  });
});

describe("plan recommendation", () => {
  const small = { id: "s", name: "Small", cpuMillis: 1000, memoryMb: 2048, monthlyCost: 1500 };
  const medium = { id: "m", name: "Medium", cpuMillis: 2000, memoryMb: 4096, monthlyCost: 3500 };
  const large = { id: "l", name: "Large", cpuMillis: 4000, memoryMb: 8192, monthlyCost: 7500 };
  const plans = [large, small, medium];

  it("picks the cheapest larger plan on which the peak would be calm", () => {
    expect(recommendPlan(small, plans, { cpuPercent: 100, memoryBytes: 1e9 }, 0.8)?.id).toBe("m");
    expect(recommendPlan(small, plans, { cpuPercent: 190, memoryBytes: 1e9 }, 0.8)?.id).toBe("l");
    expect(recommendPlan(small, plans, { cpuPercent: 900, memoryBytes: 1e9 }, 0.8)?.id).toBe("l");
    expect(recommendPlan(large, plans, { cpuPercent: 400, memoryBytes: 1e9 }, 0.8)).toBeNull();
  });

  it("opens after heavy load lasts, stays until the plan changes or calm lasts as long", () => {
    const at = new Date(10_000_000);
    const heavy = { state: "HEAVY_LOAD" as const, stateSince: at, overSince: at, calmSince: null, heavySince: new Date(at.getTime() - 3600_000), lastHeavyAt: at };
    expect(wantsRecommendation(heavy, at, 3600_000, null, "s")).toBe(true);
    expect(wantsRecommendation({ ...heavy, heavySince: new Date(at.getTime() - 60_000) }, at, 3600_000, null, "s")).toBe(false);
    const calm = { ...heavy, state: "HEALTHY" as const, heavySince: null, lastHeavyAt: new Date(at.getTime() - 600_000) };
    expect(wantsRecommendation(calm, at, 3600_000, { planId: "s" }, "s")).toBe(true);
    expect(wantsRecommendation(calm, at, 3600_000, { planId: "s" }, "m")).toBe(false);
    expect(wantsRecommendation(calm, at, 300_000, { planId: "s" }, "s")).toBe(false);

    const alerts = wantedAlerts({ name: "Kind Town", memory: heavy, reason: "CPU at 97 % of the plan's limit for 60 minutes", at, currentPlan: small, recommendation: { plan: medium } });
    expect(alerts.map((a) => a.kind)).toEqual(["HEAVY_LOAD", "PLAN_RECOMMENDATION"]);
    expect(alerts[0]?.message).toBe("Kind Town is under heavy load: CPU at 97 % of the plan's limit for 60 minutes.");
    expect(alerts[1]?.message).toBe(
      "Kind Town has been under heavy load for 60 minutes. Moving up to the Medium plan (2 CPUs, 4 GB memory) would give it room.",
    );
  });
});
