// A community's funding, in the open: what the server costs, what members pledge, what is
// paid, how long it is covered, and who supports it (anonymous supporters only counted).
// Rendered on the public page and the organiser's dashboard.
import { Facts } from "@/components/facts";
import Link from "next/link";
import { formatDate, formatMoney } from "@/lib/format";
import { getFundingSummary, type FundingSummary } from "@/server/funding/get-funding-summary";

export type FundingSlotProps = {
  communityId: string;
  slug: string;
  // Kept for the pages' call sites; the summary carries the cost with the host fee.
  monthlyCost?: number;
  currency?: string;
};

function runway(summary: FundingSummary): string {
  const months = summary.runwayMonths < 10 ? summary.runwayMonths.toFixed(1) : Math.floor(summary.runwayMonths).toString();
  const count = `${months} ${months === "1.0" ? "month" : "months"}`;
  // Before the server is up nothing is charged: the months only start counting then.
  if (summary.startsWhenUp) return `${count}, starting when the server is up`;
  const covered = summary.coveredUntil && summary.coveredUntil.getTime() > Date.now() ? `, until ${formatDate(summary.coveredUntil)}` : "";
  return `${count}${covered}`;
}

export async function FundingSlot({ communityId, slug }: FundingSlotProps) {
  const summary = await getFundingSummary(communityId);
  if (!summary) return null;
  const money = (cents: number) => formatMoney(cents, summary.currency);
  const percent = summary.monthlyCost > 0 ? Math.min(100, Math.round((summary.pledged / summary.monthlyCost) * 100)) : 100;
  const { supporters } = summary;
  return (
    <section className="card funding" aria-labelledby="funding-heading" data-slot="funding">
      <h2 id="funding-heading">Funding</h2>
      <p className={`funding-state funding-${summary.state.toLowerCase()}`}>{summary.publicState.sentence}</p>

      <div className="funding-bar">
        <label htmlFor={`funding-progress-${slug}`}>
          <strong data-testid="pledged">{money(summary.pledged)}</strong> a month from supporters, of {money(summary.monthlyCost)} needed
        </label>
        <progress id={`funding-progress-${slug}`} max={summary.monthlyCost} value={Math.min(summary.pledged, summary.monthlyCost)}>
          {percent}%
        </progress>
        <span className="hint">{percent}% of the monthly cost</span>
      </div>

      <Facts
        items={[
          [
            "Monthly cost",
            <>
              {money(summary.monthlyCost)}
              {summary.hostFee > 0 ? (
                <span className="hint">
                  {" "}
                  (server {money(summary.planCost)} + host {money(summary.hostFee)})
                </span>
              ) : null}
            </>,
          ],
          ["Paid this period", money(summary.paidThisPeriod)],
          ["Balance", money(summary.balance)],
          ["Runway", runway(summary)],
        ]}
      />

      {summary.acceptsContributions ? (
        <p>
          <Link className="button" href={`/c/${slug}/contribute`}>
            Contribute monthly
          </Link>
        </p>
      ) : null}

      <h3 id={`supporters-${slug}`}>Supporters</h3>
      {supporters.total === 0 ? (
        <p className="hint">
          {summary.formerSupporters > 0
            ? `No current supporters (${summary.formerSupporters} supported it before).${summary.acceptsContributions ? " Contributions are welcome again." : ""}`
            : summary.acceptsContributions
              ? "No supporters yet. Be the first."
              : "No supporters."}
        </p>
      ) : (
        <>
          <p>
            {supporters.total} {supporters.total === 1 ? "person supports" : "people support"} this community
            {supporters.anonymous > 0 ? `, ${supporters.anonymous} of them anonymously` : ""}.
          </p>
          {supporters.named.length > 0 ? (
            <ul className="supporters" aria-labelledby={`supporters-${slug}`}>
              {supporters.named.map((supporter, index) => (
                <li key={`${supporter.name}-${index}`}>
                  <strong>{supporter.name}</strong>
                  {supporter.message ? <q className="plain-text">{supporter.message}</q> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}
