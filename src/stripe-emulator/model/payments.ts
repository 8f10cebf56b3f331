// A card payment as Stripe records it: a PaymentIntent and its Charge, succeeded or failed.
import type { Ctx } from "../core/context";
import { emit } from "../core/context";
import { newId, randomToken } from "../core/ids";
import type { Charge, PaymentIntent, SavedCard } from "../core/types";

export interface Decline {
  code: string;
  declineCode?: string;
  message: string;
}

export interface PaymentInput {
  customer: string;
  amount: number;
  currency: string;
  card: SavedCard;
  description: string;
  // Undefined means the charge succeeds.
  decline?: Decline;
}

function buildCharge(ctx: Ctx, input: PaymentInput, paymentIntent: string): Charge {
  const succeeded = !input.decline;
  return {
    id: newId("ch"),
    object: "charge",
    amount: input.amount,
    amount_captured: succeeded ? input.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? newId("txn") : null,
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "HEARTH",
    captured: succeeded,
    created: ctx.now,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: input.decline?.code ?? null,
    failure_message: input.decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: succeeded ? "approved_by_network" : "declined_by_network",
      reason: input.decline?.declineCode ?? null,
      risk_level: "normal",
      seller_message: succeeded
        ? "Payment complete."
        : "The bank did not return any further details with this decline.",
      type: succeeded ? "authorized" : "issuer_declined",
    },
    paid: succeeded,
    payment_intent: paymentIntent,
    payment_method: input.card.id,
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: { object: "list", data: [], has_more: false, url: "" },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null,
  };
}

export function createPayment(ctx: Ctx, input: PaymentInput): { paymentIntent: PaymentIntent; charge: Charge } {
  const paymentIntentId = newId("pi");
  const charge = buildCharge(ctx, input, paymentIntentId);
  charge.refunds = { object: "list", data: [], has_more: false, url: `/v1/charges/${charge.id}/refunds` };
  const succeeded = !input.decline;
  const paymentIntent: PaymentIntent = {
    id: paymentIntentId,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: succeeded ? input.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${paymentIntentId}_secret_${randomToken(24)}`,
    confirmation_method: "automatic",
    created: ctx.now,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: input.decline
      ? {
          type: "card_error",
          code: input.decline.code,
          ...(input.decline.declineCode ? { decline_code: input.decline.declineCode } : {}),
          message: input.decline.message,
        }
      : null,
    latest_charge: charge.id,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: succeeded ? input.card.id : null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: "off_session",
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? "succeeded" : "requires_payment_method",
    transfer_group: null,
  };
  ctx.store.put("paymentIntents", paymentIntent);
  ctx.store.put("charges", charge);
  if (succeeded) {
    emit(ctx, "charge.succeeded", charge);
    emit(ctx, "payment_intent.succeeded", paymentIntent);
  } else {
    emit(ctx, "charge.failed", charge);
    emit(ctx, "payment_intent.payment_failed", paymentIntent);
  }
  return { paymentIntent, charge };
}
