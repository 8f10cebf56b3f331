// Refunds of a charge, whole or partial; the charge keeps the running total.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { invalidRequest } from "../core/errors";
import { newId } from "../core/ids";
import { formatAmount } from "../core/money";
import type { Charge, Refund } from "../core/types";

export type RefundReason = "duplicate" | "fraudulent" | "requested_by_customer";

export function createRefund(
  ctx: Ctx,
  charge: Charge,
  input: { amount?: number; reason?: RefundReason; metadata: Record<string, string> },
): Refund {
  if (charge.status !== "succeeded") {
    throw invalidRequest(`Charge ${charge.id} did not succeed, so there is nothing to refund.`, { param: "charge" });
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  }
  const amount = input.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { param: "amount", code: "amount_too_large" },
    );
  }
  const refund: Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: newId("txn"),
    charge: charge.id,
    created: ctx.now,
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    metadata: input.metadata,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: input.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  ctx.store.put("refunds", refund);
  const before = structuredClone(charge);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  charge.refunds?.data.unshift(refund);
  emit(ctx, "refund.created", refund);
  emit(ctx, "charge.refunded", charge, before);
  return refund;
}
