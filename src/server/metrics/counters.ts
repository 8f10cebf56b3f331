// Cumulative counters of one container at one moment, and the rates between two of them.
// Pure: both stats sources (Docker API, cgroup files) produce ContainerCounters.

export type ContainerCounters = {
  /** Container CPU time, nanoseconds since the container started. */
  cpuNs: number;
  /** Host CPU time over all CPUs, nanoseconds since boot (the "system" clock of CPU %). */
  systemNs: number;
  onlineCpus: number;
  /** Working set: usage without the reclaimable page cache (a gauge, not a counter). */
  memoryBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  blkReadBytes: number;
  blkWriteBytes: number;
  /** When the counters were read, ms since the epoch. */
  readAt: number;
};

export type ContainerRates = {
  /** 100 = one full CPU. */
  cpuPercent: number;
  netRxBps: number;
  netTxBps: number;
  blkReadBps: number;
  blkWriteBps: number;
};

export const zeroRates: ContainerRates = { cpuPercent: 0, netRxBps: 0, netTxBps: 0, blkReadBps: 0, blkWriteBps: 0 };

// A counter that went down was reset (the container restarted, a new network namespace):
// what it shows now was all counted since the reset, within this interval. Counting that
// alone can only under-estimate, never produce a negative or huge rate.
function increase(current: number, previous: number): number {
  return current >= previous ? current - previous : current;
}

// No link or disk here moves more than this; a larger figure means a broken sample.
const MAX_BYTES_PER_SECOND = 100e9;

function rate(bytes: number, seconds: number): number {
  const value = bytes / seconds;
  return Number.isFinite(value) && value >= 0 && value <= MAX_BYTES_PER_SECOND ? value : 0;
}

/**
 * Rates between two readings of one container, or null when they cannot be compared
 * (readings out of order or too close together to mean anything).
 */
export function computeRates(previous: ContainerCounters, current: ContainerCounters): ContainerRates | null {
  const seconds = (current.readAt - previous.readAt) / 1000;
  const systemDelta = current.systemNs - previous.systemNs;
  if (!(seconds >= 0.2) || !(systemDelta > 0)) return null;
  const cpus = current.onlineCpus > 0 ? current.onlineCpus : 1;
  const cpuDelta = increase(current.cpuNs, previous.cpuNs);
  const cpuPercent = Math.min((cpuDelta / systemDelta) * cpus * 100, cpus * 100);
  return {
    cpuPercent: Number.isFinite(cpuPercent) && cpuPercent > 0 ? cpuPercent : 0,
    netRxBps: rate(increase(current.netRxBytes, previous.netRxBytes), seconds),
    netTxBps: rate(increase(current.netTxBytes, previous.netTxBytes), seconds),
    blkReadBps: rate(increase(current.blkReadBytes, previous.blkReadBytes), seconds),
    blkWriteBps: rate(increase(current.blkWriteBytes, previous.blkWriteBytes), seconds),
  };
}

export function addRates(a: ContainerRates, b: ContainerRates): ContainerRates {
  return {
    cpuPercent: a.cpuPercent + b.cpuPercent,
    netRxBps: a.netRxBps + b.netRxBps,
    netTxBps: a.netTxBps + b.netTxBps,
    blkReadBps: a.blkReadBps + b.blkReadBps,
    blkWriteBps: a.blkWriteBps + b.blkWriteBps,
  };
}
