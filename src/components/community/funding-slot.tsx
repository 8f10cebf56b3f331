// PLACEHOLDER: the funding issue replaces this component's body with the real progress
// (monthly cost, pledged, months covered, contribute button). Pages already render it in
// the right place on the public page and the dashboard; keep its props and heading id.
import { formatMoney } from "@/components/labels";

export type FundingSlotProps = {
  communityId: string;
  slug: string;
  monthlyCost: number;
  currency: string;
};

export function FundingSlot({ monthlyCost, currency }: FundingSlotProps) {
  return (
    <section className="card funding" aria-labelledby="funding-heading" data-slot="funding">
      <h2 id="funding-heading">Funding</h2>
      <p>
        This server costs <strong>{formatMoney(monthlyCost, currency)}</strong> a month.
      </p>
      <p className="hint">Monthly contributions open soon: the funding progress will appear here.</p>
    </section>
  );
}
