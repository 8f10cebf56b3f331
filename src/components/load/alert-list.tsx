// Alerts of one instance (organiser) or of all (host admin), newest first.
import type { AlertView } from "@/server/metrics/list-alerts";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function AlertList({ alerts, showCommunity = false }: { alerts: AlertView[]; showCommunity?: boolean }) {
  if (alerts.length === 0) return <p className="hint">No alerts.</p>;
  return (
    <ul className="load-alerts">
      {alerts.map((alert) => (
        <li key={alert.id} className={alert.closedAt ? "load-alert-closed" : "load-alert-open"}>
          <p>
            {showCommunity && <strong>{alert.communityName}: </strong>}
            {alert.message}
          </p>
          <p className="hint">
            {alert.closedAt ? "Resolved" : "Open"} · since {when.format(alert.openedAt)} UTC
            {alert.closedAt && <> · ended {when.format(alert.closedAt)} UTC</>}
          </p>
        </li>
      ))}
    </ul>
  );
}
