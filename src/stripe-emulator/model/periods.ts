// Billing period boundaries for a recurring price, counted from the subscription's anchor.
import { addMonths } from "../core/time";
import type { Price } from "../core/types";

const DAY = 24 * 60 * 60;

// The end of the `n`th period after `anchor` (n = 1 is the end of the first period).
export function periodBoundary(anchor: number, price: Price, n: number): number {
  const interval = price.recurring?.interval ?? "month";
  const count = (price.recurring?.interval_count ?? 1) * n;
  switch (interval) {
    case "day":
      return anchor + count * DAY;
    case "week":
      return anchor + count * 7 * DAY;
    case "year":
      return addMonths(anchor, 12 * count);
    default:
      return addMonths(anchor, count);
  }
}

// The first boundary strictly after `after`.
export function nextBoundary(anchor: number, price: Price, after: number): number {
  for (let n = 1; ; n++) {
    const end = periodBoundary(anchor, price, n);
    if (end > after) return end;
  }
}
