// A short list of labelled values (the "facts" style): the plan, the money, the state. An entry
// whose value is null is left out, so callers can list optional facts in place.
import type { ReactNode } from "react";

export type Fact = readonly [term: string, value: ReactNode];

export function Facts({ items }: { items: readonly Fact[] }) {
  return (
    <dl className="facts">
      {items
        .filter(([, value]) => value !== null)
        .map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
