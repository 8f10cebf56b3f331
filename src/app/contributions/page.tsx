import type { Metadata } from "next";
import Link from "next/link";
import { ChangeAmountForm } from "@/components/funding/change-amount-form";
import { PortalButton } from "@/components/funding/portal-button";
import { formatDate, formatMoney } from "@/lib/format";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { listMyContributions } from "@/server/funding/list-my-contributions";
import { DataTable } from "@/components/table/data-table";

export const metadata: Metadata = { title: "Your contributions" };

const STATUS: Record<string, string> = {
  ACTIVE: "Active",
  TRIALING: "Active",
  PAST_DUE: "Payment failed: update your card",
  UNPAID: "Unpaid",
  PAUSED: "Paused",
  CANCELED: "Ended",
  INCOMPLETE: "Confirming",
  PENDING: "Confirming",
  INCOMPLETE_EXPIRED: "Not completed",
};

/** What Stripe has told Hearth and Hearth has not applied yet (see listMyContributions). */
const CONFIRMING = { payment: " (a payment is being confirmed)", change: " (a change from Stripe is being applied)", none: "" };

export default async function ContributionsPage() {
  const actor = await actorOrSignIn("/contributions");
  const { contributions, receipts } = await listMyContributions(actor.id);
  return (
    <section>
      <h1>Your contributions</h1>
      {contributions.length === 0 ? (
        <p>
          You do not support any community yet. Find one and choose <strong>Contribute monthly</strong> on its page.
        </p>
      ) : (
        <>
          <p>Update your card, see invoices or cancel through Stripe:</p>
          <PortalButton />
          <DataTable
            caption="Your monthly contributions"
            rows={contributions}
            rowKey={(c) => c.id}
            columns={[
              { header: "Community", cell: (c) => <Link href={`/c/${c.community.slug}`}>{c.community.name}</Link> },
              { header: "Per month", cell: (c) => formatMoney(c.amount, c.currency) },
              {
                header: "Status",
                cell: (c) =>
                  `${STATUS[c.status] ?? c.status}${
                    c.status === "ACTIVE" && c.currentPeriodEnd
                      ? c.cancelAtPeriodEnd
                        ? `, ends ${formatDate(c.currentPeriodEnd)}`
                        : `, renews ${formatDate(c.currentPeriodEnd)}`
                      : ""
                  }${c.status === "PENDING" || c.status === "INCOMPLETE" ? "" : CONFIRMING[c.confirming ?? "none"]}`,
              },
              { header: "Shown as", cell: (c) => (c.isPublic ? c.publicName : "Anonymous") },
              {
                header: "Change the amount",
                cell: (c) =>
                  ["ACTIVE", "TRIALING", "PAST_DUE"].includes(c.status) ? (
                    <ChangeAmountForm contributionId={c.id} community={c.community.name} currency={c.currency} />
                  ) : null,
              },
            ]}
          />
        </>
      )}
      <h2>Receipts</h2>
      {receipts.length === 0 ? (
        <p className="hint">No payments yet.</p>
      ) : (
        <DataTable
          caption="Payments and refunds"
          rows={receipts}
          rowKey={(r) => r.id}
          columns={[
            { header: "Date", cell: (r) => formatDate(r.occurredAt) },
            { header: "Community", cell: (r) => r.community.name },
            { header: "Amount", cell: (r) => `${formatMoney(r.amount, r.currency)}${r.kind === "REFUND" ? " (refund)" : ""}` },
            { header: "Receipt", cell: (r) => (r.receiptUrl ? <a href={r.receiptUrl}>Invoice</a> : "—") },
          ]}
        />
      )}
    </section>
  );
}
