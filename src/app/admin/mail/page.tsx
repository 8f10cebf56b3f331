import type { Metadata } from "next";
import Link from "next/link";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { listOutbox, mailListParams } from "@/server/mail/mail-viewer";
import { DataTable } from "@/components/table/data-table";

export const metadata: Metadata = { title: "Mail" };

const STATE: Record<string, string> = {
  PENDING: "Waiting",
  SENDING: "Sending",
  SENT: "Sent",
  KEPT: "Kept in Hearth",
  FAILED: "Failed",
  SKIPPED: "Not sent",
};

export default async function AdminMailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await hostAdminOrNotFound("admin.mail.read");
  const params = mailListParams.parse(await searchParams);
  const { rows, next, delivery } = await listOutbox(actor, params);
  return (
    <>
      <h1>Mail</h1>
      <p>Mail is {delivery}.</p>
      <form method="get" className="inline-form">
        <label htmlFor="mail-to">Recipient</label> <input id="mail-to" name="to" type="search" defaultValue={params.to ?? ""} />{" "}
        <label htmlFor="mail-state">State</label>{" "}
        <select id="mail-state" name="state" defaultValue={params.state ?? ""}>
          <option value="">Any</option>
          {Object.entries(STATE).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="secondary">
          Show
        </button>
      </form>
      <DataTable
        caption="Messages, newest first"
        rows={rows}
        rowKey={(row) => row.id}
        columns={[
          { header: "Queued", cell: (row) => row.createdAt.toISOString().slice(0, 19).replace("T", " ") },
          { header: "To", cell: (row) => row.toEmail },
          { header: "Subject", cell: (row) => <Link href={`/admin/mail/${row.id}`}>{row.subject}</Link> },
          { header: "State", cell: (row) => `${STATE[row.state]}${row.attempts > 1 ? ` (${row.attempts} attempts)` : ""}` },
          { header: "Server's answer", cell: (row) => row.lastError ?? row.lastResponse ?? "" },
        ]}
      />
      {rows.length === 0 ? <p>No messages.</p> : null}
      {next ? (
        <p>
          <Link href={`/admin/mail?${new URLSearchParams({ ...(params.to ? { to: params.to } : {}), ...(params.state ? { state: params.state } : {}), before: next })}`}>
            Older messages
          </Link>
        </p>
      ) : null}
    </>
  );
}
