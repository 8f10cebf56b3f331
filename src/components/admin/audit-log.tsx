import type { TenantDetail } from "@/server/admin/tenants/get-tenant";
import { formatDateTime } from "./labels";

const RESULT: Record<string, string> = { SUCCEEDED: "Done", REFUSED: "Refused", FAILED: "Failed" };

function details(data: unknown): string {
  if (!data || typeof data !== "object") return "";
  return Object.entries(data as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("; ");
}

export function AuditLog({ events }: { events: TenantDetail["audit"] }) {
  if (events.length === 0) return <p>Nothing recorded yet.</p>;
  return (
    <div className="table-wrap">
      <table className="admin-table">
        <caption className="visually-hidden">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Result</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{formatDateTime(event.createdAt)}</td>
              <td>{event.actor?.email ?? <span className="hint">system or removed account</span>}</td>
              <td>
                {event.action}
                <div className="hint">{details(event.data)}</div>
              </td>
              <td>{event.result ? RESULT[event.result] : "Done"}</td>
              <td>
                {event.ip ?? "—"}
                {event.userAgent ? <div className="hint">{event.userAgent}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
