import type { Metadata } from "next";
import Link from "next/link";
import { ChangeAmountForm } from "@/components/funding/change-amount-form";
import { PortalButton } from "@/components/funding/portal-button";
import { formatDate, formatMoney } from "@/lib/format";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { listMyContributions } from "@/server/funding/list-my-contributions";

export const metadata: Metadata = { title: "Your contributions" };

const STATUS: Record<string, string> = {
  ACTIVE: "Active",
  TRIALING: "Active",
  PAST_DUE: "Payment failed: update your card",
  UNPAID: "Unpaid",
  PAUSED: "Paused",
  CANCELED: "Ended",
  INCOMPLETE: "Being confirmed",
  INCOMPLETE_EXPIRED: "Not completed",
};

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
          <table>
            <caption className="visually-hidden">Your monthly contributions</caption>
            <thead>
              <tr>
                <th scope="col">Community</th>
                <th scope="col">Per month</th>
                <th scope="col">Status</th>
                <th scope="col">Shown as</th>
                <th scope="col">Change the amount</th>
              </tr>
            </thead>
            <tbody>
              {contributions.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/c/${c.community.slug}`}>{c.community.name}</Link>
                  </td>
                  <td>{formatMoney(c.amount, c.currency)}</td>
                  <td>
                    {STATUS[c.status] ?? c.status}
                    {c.status === "ACTIVE" && c.currentPeriodEnd
                      ? c.cancelAtPeriodEnd
                        ? `, ends ${formatDate(c.currentPeriodEnd)}`
                        : `, renews ${formatDate(c.currentPeriodEnd)}`
                      : ""}
                  </td>
                  <td>{c.isPublic ? c.publicName : "Anonymous"}</td>
                  <td>
                    {["ACTIVE", "TRIALING", "PAST_DUE"].includes(c.status) ? (
                      <ChangeAmountForm contributionId={c.id} community={c.community.name} currency={c.currency} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Receipts</h2>
      {receipts.length === 0 ? (
        <p className="hint">No payments yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Payments and refunds</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Community</th>
              <th scope="col">Amount</th>
              <th scope="col">Receipt</th>
            </tr>
          </thead>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.occurredAt)}</td>
                <td>{r.community.name}</td>
                <td>
                  {formatMoney(r.amount, r.currency)}
                  {r.kind === "REFUND" ? " (refund)" : ""}
                </td>
                <td>{r.receiptUrl ? <a href={r.receiptUrl}>Invoice</a> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
