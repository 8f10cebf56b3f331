import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Facts, type Fact } from "@/components/facts";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { getOutboxMessage } from "@/server/mail/mail-viewer";

export const metadata: Metadata = { title: "Message", referrer: "same-origin" };

export default async function AdminMailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await hostAdminOrNotFound("admin.mail.read");
  const message = await getOutboxMessage(actor, (await params).id);
  if (!message) notFound();
  const facts: Fact[] = [
    ["From", message.from],
    ["To", message.toEmail],
    ["Kind", message.kind],
    ["State", message.state],
    ["Attempts", String(message.attempts)],
    ["Message-ID", message.messageId ?? "(given when first sent)"],
    ["Server's answer", message.lastResponse ?? "none yet"],
    ["Problem", message.lastError ?? "none"],
  ];
  return (
    <>
      <p>
        <Link href="/admin/mail">All mail</Link>
      </p>
      <h1>{message.subject}</h1>
      <Facts items={facts} />
      {message.linksWithheld ? <p className="notice">Links that carry a token are shown only for mail kept in Hearth.</p> : null}
      {message.rendered ? (
        <>
          <h2>Text</h2>
          <pre className="mail-text">{message.rendered.text}</pre>
          <h2>HTML</h2>
          {/* Rendered in a sandbox: no scripts, no forms, nothing of the panel reachable from it. */}
          <iframe title="The HTML part" sandbox="" srcDoc={message.rendered.html} className="mail-html" />
        </>
      ) : (
        <p className="form-error">It cannot be shown: {message.problem}</p>
      )}
    </>
  );
}
