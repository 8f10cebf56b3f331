import type { Metadata } from "next";
import { retryStripeEventAction } from "@/server/billing/actions";
import { formatDateTime } from "@/components/admin/labels";
import { RetryEventForm } from "@/components/admin/retry-event-form";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { listStripeEventProblems, type StripeEventRow } from "@/server/billing/list-stripe-events";
import { DataTable } from "@/components/table/data-table";

export const metadata: Metadata = { title: "Stripe events" };

function EventTable({ rows, caption, dead }: { rows: StripeEventRow[]; caption: string; dead: boolean }) {
  return (
    <div className="table-wrap">
      <DataTable
        className="admin-table"
        caption={caption}
        rows={rows}
        rowKey={(row) => row.id}
        columns={[
          {
            header: "Event",
            cell: (row) => (
              <>
                <code>{row.type}</code>
                <br />
                <code>{row.id}</code>
              </>
            ),
          },
          { header: "About", cell: (row) => <code>{row.objectId ?? "—"}</code> },
          { header: "Received", cell: (row) => formatDateTime(row.receivedAt) },
          { header: "Attempts", cell: (row) => row.attempts },
          { header: dead ? "Given up" : "Next attempt", cell: (row) => formatDateTime(dead && row.deadAt ? row.deadAt : row.nextAttemptAt) },
          { header: "Last error", cell: (row) => row.lastError ?? "—" },
          { header: "Action", cell: (row) => <RetryEventForm action={retryStripeEventAction} eventId={row.id} label="Retry now" /> },
        ]}
      />
    </div>
  );
}

// The Stripe events the worker could not process: given up on after the last attempt (an
// alert was sent), or waiting for their next attempt. "Retry now" makes one due at once.
export default async function AdminWebhooksPage() {
  const actor = await hostAdminOrNotFound("admin.billing.manage");
  const { dead, retrying, pending, oldestPending } = await listStripeEventProblems(actor);
  return (
    <>
      <h1>Stripe events</h1>
      <p>
        {pending === 0
          ? "Every Stripe event received has been processed or given up on."
          : `${pending} event${pending === 1 ? "" : "s"} waiting to be processed${oldestPending ? `, the oldest received ${formatDateTime(oldestPending)}` : ""}.`}
      </p>
      <h2>Given up after the last attempt</h2>
      {dead.length === 0 ? (
        <p>None.</p>
      ) : (
        <>
          <p>Fix the cause named in the last error, then retry: the event is processed again from the start, by re-reading Stripe.</p>
          <EventTable rows={dead} caption="Stripe events given up on" dead />
        </>
      )}
      <h2>Waiting for another attempt</h2>
      {retrying.length === 0 ? <p>None.</p> : <EventTable rows={retrying} caption="Stripe events waiting for a retry" dead={false} />}
    </>
  );
}
