// Which plan would give an instance room: the cheapest active plan larger than its own on
// which its peak load would sit calmly under the heavy-load thresholds.
export type PlanLimits = { id: string; name: string; cpuMillis: number; memoryMb: number; monthlyCost: number };

export function recommendPlan(
  current: PlanLimits,
  plans: readonly PlanLimits[],
  peak: { cpuPercent: number; memoryBytes: number },
  calmRatio: number,
): PlanLimits | null {
  const larger = plans
    .filter((p) => p.id !== current.id && p.cpuMillis >= current.cpuMillis && p.memoryMb >= current.memoryMb)
    .filter((p) => p.cpuMillis > current.cpuMillis || p.memoryMb > current.memoryMb)
    .sort((a, b) => a.monthlyCost - b.monthlyCost || a.cpuMillis - b.cpuMillis);
  const fits = larger.find(
    (p) =>
      peak.cpuPercent / (p.cpuMillis / 10) < calmRatio && peak.memoryBytes / (p.memoryMb * 1024 * 1024) < calmRatio,
  );
  // Nothing fits: the largest still helps most.
  return fits ?? larger.at(-1) ?? null;
}
