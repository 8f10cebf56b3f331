// Counters straight from the kernel, the way dockerd computes them, when the engine runs
// on this machine: cgroup files for CPU, memory and block I/O, the container's network
// namespace (/proc/<pid>/net/dev) for traffic, /proc/stat for the host CPU clock. dockerd
// does no work at all, and a sweep takes milliseconds instead of waiting for its 1-second
// stats tick. Containers whose cgroup is not found here fall back to the API.
import "server-only";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { workingSet } from "./parse-docker-stats";
import type { ContainerCounters } from "./counters";

export type CgroupLayout = {
  version: 1 | 2;
  driver: "cgroupfs" | "systemd";
  /** Mount point of the cgroup hierarchy and of procfs (overridable for tests). */
  root: string;
  proc: string;
};

// USER_HZ: 100 on every Linux architecture Docker supports; dockerd assumes the same.
const CLOCK_TICKS = 100;

// Synchronous on purpose: these are kernel-generated files answered from memory in
// microseconds; going through libuv's thread pool cost ten times more than the reads.
function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Host CPU time as dockerd counts it: user..softirq of the "cpu" line, in ns; and online CPUs. */
export function parseProcStat(text: string): { systemNs: number; onlineCpus: number } | null {
  const lines = text.split("\n");
  const total = lines.find((line) => line.startsWith("cpu "));
  if (!total) return null;
  const ticks = total
    .trim()
    .split(/\s+/)
    .slice(1, 8)
    .reduce((sum, field) => sum + Number(field), 0);
  const onlineCpus = lines.filter((line) => /^cpu\d+\s/.test(line)).length || 1;
  return Number.isFinite(ticks) ? { systemNs: (ticks * 1e9) / CLOCK_TICKS, onlineCpus } : null;
}

/** "key value" lines (memory.stat, cpu.stat) into a record. */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out;
}

/** Block I/O bytes: v1 "8:0 Read 123" lines, or v2 io.stat "8:0 rbytes=1 wbytes=2 ..." lines. */
export function parseBlockIo(text: string): { read: number; write: number } {
  let readBytes = 0;
  let writeBytes = 0;
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 3 && /^\d+:\d+$/.test(fields[0] ?? "") && !fields[1]?.includes("=")) {
      const op = fields[1]?.toLowerCase();
      if (op === "read") readBytes += Number(fields[2]) || 0;
      if (op === "write") writeBytes += Number(fields[2]) || 0;
    } else {
      for (const field of fields) {
        const [key, value] = field.split("=");
        if (key === "rbytes") readBytes += Number(value) || 0;
        if (key === "wbytes") writeBytes += Number(value) || 0;
      }
    }
  }
  return { read: readBytes, write: writeBytes };
}

/** Traffic of every interface but loopback, as in `docker stats`. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (!rest || name?.trim() === "lo") continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    rx += fields[0] || 0;
    tx += fields[8] || 0;
  }
  return { rx, tx };
}

function relativePath(layout: CgroupLayout, id: string): string {
  return layout.driver === "systemd" ? `system.slice/docker-${id}.scope` : `docker/${id}`;
}

function readV1(layout: CgroupLayout, id: string) {
  const rel = relativePath(layout, id);
  let cpuDir = join(layout.root, "cpuacct", rel);
  let cpu = read(join(cpuDir, "cpuacct.usage"));
  if (cpu === null) {
    cpuDir = join(layout.root, "cpu,cpuacct", rel);
    cpu = read(join(cpuDir, "cpuacct.usage"));
  }
  if (cpu === null) return null;
  const memoryDir = join(layout.root, "memory", rel);
  const blkioDir = join(layout.root, "blkio", rel);
  const usage = read(join(memoryDir, "memory.usage_in_bytes"));
  const memoryStat = read(join(memoryDir, "memory.stat"));
  const blkio = read(join(blkioDir, "blkio.throttle.io_service_bytes_recursive"));
  const procs = read(join(cpuDir, "cgroup.procs"));
  return {
    cpuNs: Number(cpu.trim()),
    memoryBytes: workingSet(Number(usage?.trim() ?? 0), parseFlatKeyed(memoryStat ?? "")),
    blkio: parseBlockIo(blkio ?? ""),
    pid: procs?.split("\n")[0]?.trim(),
  };
}

function readV2(layout: CgroupLayout, id: string) {
  const dir = join(layout.root, relativePath(layout, id));
  const cpuStat = read(join(dir, "cpu.stat"));
  if (cpuStat === null) return null;
  const usage = read(join(dir, "memory.current"));
  const memoryStat = read(join(dir, "memory.stat"));
  const io = read(join(dir, "io.stat"));
  const procs = read(join(dir, "cgroup.procs"));
  return {
    cpuNs: (parseFlatKeyed(cpuStat).usage_usec ?? 0) * 1000,
    memoryBytes: workingSet(Number(usage?.trim() ?? 0), parseFlatKeyed(memoryStat ?? "")),
    blkio: parseBlockIo(io ?? ""),
    pid: procs?.split("\n")[0]?.trim(),
  };
}

/** Counters of one container, or null when its cgroup or network namespace is not visible here. */
export function readCgroupCounters(layout: CgroupLayout, id: string, hostNetwork = false): ContainerCounters | null {
  const cgroup = layout.version === 2 ? readV2(layout, id) : readV1(layout, id);
  if (!cgroup || !Number.isFinite(cgroup.cpuNs) || !cgroup.pid) return null;
  // A container on the host's network sees the host's interfaces: no traffic of its own,
  // as in `docker stats`. The file is still read, to know its namespace is visible here.
  const netDev = read(join(layout.proc, cgroup.pid, "net", "dev"));
  const procStat = read(join(layout.proc, "stat"));
  const host = procStat ? parseProcStat(procStat) : null;
  if (netDev === null || !host) return null;
  const net = hostNetwork ? { rx: 0, tx: 0 } : parseNetDev(netDev);
  return {
    cpuNs: cgroup.cpuNs,
    systemNs: host.systemNs,
    onlineCpus: host.onlineCpus,
    memoryBytes: cgroup.memoryBytes,
    netRxBytes: net.rx,
    netTxBytes: net.tx,
    blkReadBytes: cgroup.blkio.read,
    blkWriteBytes: cgroup.blkio.write,
    readAt: Date.now(),
  };
}

export function readStatsViaCgroup(
  layout: CgroupLayout,
  containerIds: readonly string[],
  hostNetwork: ReadonlySet<string> = new Set(),
): Map<string, ContainerCounters> {
  const counters = new Map<string, ContainerCounters>();
  for (const id of containerIds) {
    const value = readCgroupCounters(layout, id, hostNetwork.has(id));
    if (value) counters.set(id, value);
  }
  return counters;
}
