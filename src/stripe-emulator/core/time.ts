// Time in Stripe's unit (Unix seconds) and monthly billing periods.

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

// The instant `months` calendar months after `anchor`, keeping the anchor's day of month
// where the target month has it and the month's last day otherwise (31 Jan -> 28 Feb -> 31 Mar),
// as Stripe does for a billing cycle anchor. Always computed from the anchor so it never drifts.
export function addMonths(anchor: number, months: number): number {
  const start = new Date(anchor * 1000);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const day = Math.min(start.getUTCDate(), daysInMonth(target.getUTCFullYear(), target.getUTCMonth()));
  return (
    Date.UTC(
      target.getUTCFullYear(),
      target.getUTCMonth(),
      day,
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
    ) / 1000
  );
}
