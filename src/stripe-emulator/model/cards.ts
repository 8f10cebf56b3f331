// Stripe's documented test card numbers that the emulator understands. Anything else is
// refused as an incorrect number, as Stripe's test mode refuses real cards.

export type CardCheck =
  | { ok: true; last4: string; brand: string; behavior: "succeed" | "fail_later" }
  | { ok: false; code: string; declineCode?: string; message: string };

interface TestCard {
  brand: string;
  result:
    | { ok: true; behavior: "succeed" | "fail_later" }
    | { ok: false; code: string; declineCode?: string; message: string };
}

const DECLINED = "Your card was declined.";

const TEST_CARDS: Record<string, TestCard> = {
  "4242424242424242": { brand: "visa", result: { ok: true, behavior: "succeed" } },
  "5555555555554444": { brand: "mastercard", result: { ok: true, behavior: "succeed" } },
  // Attaches fine, then every later charge is declined: for renewal and dunning demos.
  "4000000000000341": { brand: "visa", result: { ok: true, behavior: "fail_later" } },
  "4000000000000002": {
    brand: "visa",
    result: { ok: false, code: "card_declined", declineCode: "generic_decline", message: DECLINED },
  },
  "4000000000009995": {
    brand: "visa",
    result: {
      ok: false,
      code: "card_declined",
      declineCode: "insufficient_funds",
      message: "Your card has insufficient funds.",
    },
  },
};

export const SUCCESS_CARD = "4242424242424242";

export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

export function checkCard(input: string): CardCheck {
  const number = normalizeCardNumber(input);
  const card = TEST_CARDS[number];
  if (!card) {
    return { ok: false, code: "incorrect_number", message: "Your card number is incorrect." };
  }
  if (!card.result.ok) return card.result;
  return { ok: true, last4: number.slice(-4), brand: card.brand, behavior: card.result.behavior };
}

export const renewalDecline = {
  code: "card_declined",
  declineCode: "generic_decline",
  message: DECLINED,
} as const;
