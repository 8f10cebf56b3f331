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

function stateLine(summary: FundingSummary): string {
  switch (summary.state) {
    case "FUNDED":
      return "Funded: the server's hosting is paid.";
    case "GRACE":
      return `Needs funding: the balance does not cover this month. The server keeps running until ${summary.graceEndsAt ? formatDate(summary.graceEndsAt) : "the grace period ends"}.`;
    case "SUSPENDED":
      return "Suspended for lack of funding. Nothing is deleted: the server resumes as soon as a month of hosting is paid.";
    default:
      return "Awaiting funding: the server is set up once a month of hosting is paid.";
  }
}

function runway(summary: FundingSummary): string {
  const months = summary.runwayMonths < 10 ? summary.runwayMonths.toFixed(1) : Math.floor(summary.runwayMonths).toString();
  const covered = summary.coveredUntil && summary.coveredUntil.getTime() > Date.now() ? `, until ${formatDate(summary.coveredUntil)}` : "";
  return `${months} ${months === "1.0" ? "month" : "months"}${covered}`;
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
      <p className={`funding-state funding-${summary.state.toLowerCase()}`}>{stateLine(summary)}</p>

      <div className="funding-bar">
        <label htmlFor={`funding-progress-${slug}`}>
          <strong data-testid="pledged">{money(summary.pledged)}</strong> pledged of {money(summary.monthlyCost)} a month
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
        <p className="hint">No supporters yet. Be the first.</p>
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
