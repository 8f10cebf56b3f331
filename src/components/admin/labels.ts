// Words for the admin area's states.
export const FUNDING_LABEL: Record<string, string> = {
  AWAITING_FUNDING: "Awaiting funding",
  FUNDED: "Funded",
  GRACE: "Grace period",
  SUSPENDED: "Out of funds",
  CLOSED: "Closed (deleted)",
};

export const LOAD_LABEL: Record<string, string> = {
  HEALTHY: "Healthy",
  HEAVY_LOAD: "Heavy load",
  UNHEALTHY: "Unhealthy",
  DOWN: "Down",
  UNKNOWN: "Not measured",
};

export const percent = (share: number) => `${Math.round(share * 100)}%`;

export function formatMonths(months: number): string {
  if (months >= 24) return `${Math.floor(months / 12)} years`;
  if (months >= 1) return `${months.toFixed(1)} months`;
  const days = Math.floor(months * 30.44);
  return days === 1 ? "1 day" : `${days} days`;
}

export function formatDateTime(date: Date): string {
  return new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date) + " UTC";
}
