// Amounts as people type them and as Hearth shows them. Stored amounts are integers in the
// currency's smallest unit (cents); every currency Hearth takes has two decimals.
import { formatMoney } from "@/lib/format";

export type AmountCheck = { ok: true; cents: number } | { ok: false; message: string };

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$/i;
const PLAIN = /^\d+([.,]\d{1,2})?$/;

/** Checks a typed monthly amount against the host's limits (whole units, minimum 1). */
export function parseAmount(raw: string, limits: { max: number; currency: string }): AmountCheck {
  const text = raw.trim();
  const example = `like 5 or 7.50`;
  if (text === "") return { ok: false, message: `Enter an amount in ${limits.currency.toUpperCase()}, ${example}.` };
  if (!NUMBER.test(text)) {
    return { ok: false, message: `Enter the amount as a number in ${limits.currency.toUpperCase()}, ${example}.` };
  }
  const value = Number(text.replace(",", "."));
  if (!Number.isFinite(value) || value < 1) {
    return { ok: false, message: `The smallest monthly contribution is ${formatMoney(100, limits.currency)}.` };
  }
  if (value > limits.max) {
    return {
      ok: false,
      message: `The largest monthly contribution on this host is ${formatMoney(limits.max * 100, limits.currency)}.`,
    };
  }
  if (!PLAIN.test(text)) return { ok: false, message: `Use digits and at most two decimals, ${example}.` };
  return { ok: true, cents: Math.round(value * 100) };
}
