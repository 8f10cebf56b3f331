// Subscription items carry the price (and its legacy `plan` twin) and, since API 2025-03-31,
// the current period.
import { newId } from "../core/ids";
import type { Price, SubscriptionItem } from "../core/types";

type Plan = SubscriptionItem["plan"];

function planFromPrice(price: Price): Plan {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function buildItem(
  subscriptionId: string,
  price: Price,
  quantity: number,
  created: number,
  period: { start: number; end: number },
): SubscriptionItem {
  return {
    id: newId("si", 14),
    object: "subscription_item",
    billing_thresholds: null,
    created,
    current_period_end: period.end,
    current_period_start: period.start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(price),
    price,
    quantity,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

export function setItemPrice(item: SubscriptionItem, price: Price): void {
  item.price = price;
  item.plan = planFromPrice(price);
}
