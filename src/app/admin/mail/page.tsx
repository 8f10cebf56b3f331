import type { Metadata } from "next";
import Link from "next/link";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { listOutbox, mailListParams } from "@/server/mail/mail-viewer";

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
      <table>
        <caption className="visually-hidden">Messages, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Queued</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">State</th>
            <th scope="col">Server&apos;s answer</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
              <td>{row.toEmail}</td>
              <td>
                <Link href={`/admin/mail/${row.id}`}>{row.subject}</Link>
              </td>
              <td>
                {STATE[row.state]}
                {row.attempts > 1 ? ` (${row.attempts} attempts)` : ""}
              </td>
              <td>{row.lastError ?? row.lastResponse ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
