import type { TenantDetail } from "@/server/admin/tenants/get-tenant";
import { formatDateTime } from "./labels";
import { DataTable } from "@/components/table/data-table";

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
      <DataTable
        className="admin-table"
        caption="Audit log, newest first"
        rows={events}
        rowKey={(event) => event.id}
        columns={[
          { header: "When", cell: (event) => formatDateTime(event.createdAt) },
          { header: "Who", cell: (event) => event.actor?.email ?? <span className="hint">system or removed account</span> },
          {
            header: "What",
            cell: (event) => (
              <>
                {event.action}
                <div className="hint">{details(event.data)}</div>
              </>
            ),
          },
          { header: "Result", cell: (event) => (event.result ? RESULT[event.result] : "Done") },
          {
            header: "From",
            cell: (event) => (
              <>
                {event.ip ?? "—"}
                {event.userAgent ? <div className="hint">{event.userAgent}</div> : null}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
