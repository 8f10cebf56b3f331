// Formats shared by pages, components and the server: money, dates, plan resources, and the
// load charts' binary units (as Docker and the plans use).
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
}

export function formatResources(plan: { memoryMb: number; cpuMillis: number; diskGb: number }): string {
  const cpus = plan.cpuMillis / 1000;
  return `${plan.memoryMb / 1024} GB memory · ${cpus} CPU${cpus === 1 ? "" : "s"} · ${plan.diskGb} GB disk`;
}

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSecond: number) => `${formatBytes(bytesPerSecond)}/s`;

/** CPU where 100 % is one full CPU. */
export const formatCpu = (percent: number) => `${percent >= 10 ? Math.round(percent) : percent.toFixed(1)} %`;

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayClock = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** Times are shown in UTC (the server renders them and does not know the reader's zone). */
export function formatTime(ms: number, spanMs: number): string {
  return spanMs > 86_400_000 ? dayClock.format(ms) : clock.format(ms);
}
