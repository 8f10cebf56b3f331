import { formatDate, formatMoney } from "@/lib/format";
import { Facts } from "@/components/facts";
import type { TenantFunding } from "@/server/funding";
import { FUNDING_LABEL, formatMonths } from "./labels";

export function FundingCard({ funding }: { funding: TenantFunding }) {
  const { summary, contributions } = funding;
  if (!summary) return <p>No funding record.</p>;
  const money = (cents: number) => formatMoney(cents, summary.currency);
  return (
    <>
      <Facts
        items={[
          ["State", FUNDING_LABEL[summary.state] ?? summary.state],
          [
            "Monthly cost",
            <>
              {money(summary.monthlyCost)} <span className="hint">(plan {money(summary.planCost)} + host fee {money(summary.hostFee)})</span>
            </>,
          ],
          ["Pledged a month", money(summary.pledged)],
          ["Balance", money(summary.balance)],
          [
            "Runway",
            <>
              {formatMonths(summary.runwayMonths)}
              {summary.coveredUntil ? <span className="hint"> (until {formatDate(summary.coveredUntil)})</span> : null}
            </>,
          ],
          ["Grace ends", summary.graceEndsAt ? formatDate(summary.graceEndsAt) : null],
        ]}
      />
      <h3>Contributors ({summary.supporters.total})</h3>
      {contributions.length === 0 ? (
        <p>No contributions yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Contributions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Contributor</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {contributions.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.user.email}
                    <div className="hint">{c.isPublic && c.publicName ? `Shown as ${c.publicName}` : "Anonymous on the public page"}</div>
                  </td>
                  <td>{formatMoney(c.amount, c.currency)} a month</td>
                  <td>
                    {c.status.toLowerCase().replace("_", " ")}
                    {c.cancelAtPeriodEnd ? <div className="hint">ends with this period</div> : null}
                  </td>
                  <td>{formatDate(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
