// Amounts are integers in the currency's smallest unit, as in Stripe.

// Stripe's zero-decimal currencies: amounts are whole units.
const ZERO_DECIMAL = new Set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "));

export function minorUnits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}

export function formatAmount(amount: number, currency: string): string {
  const digits = minorUnits(currency);
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(
    amount / 10 ** digits,
  );
}

// "5", "5.5", "5,50" -> smallest units; undefined when it is not an amount.
export function parseAmount(input: string, currency: string): number | undefined {
  const digits = minorUnits(currency);
  const normalized = input.trim().replace(",", ".");
  const pattern = digits === 0 ? /^\d{1,9}$/ : new RegExp(`^\\d{1,9}(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(normalized)) return undefined;
  const [whole = "0", fraction = ""] = normalized.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
