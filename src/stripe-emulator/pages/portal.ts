// /portal/:id: the customer portal. Members see their subscriptions and invoices, cancel
// (at period end or at once), undo a pending cancellation, or change the monthly amount.
import type { ServerResponse } from "node:http";
import type { Engine } from "../core/engine";
import { StripeApiError, invalidRequest } from "../core/errors";
import { parseForm } from "../core/form";
import { redirect, sendHtml } from "../core/http";
import { formatAmount, parseAmount } from "../core/money";
import type { PortalSession, Subscription } from "../core/types";
import { createPrice } from "../model/catalog";
import { cancelSubscription, updateSubscription } from "../model/subscriptions";
import { formatDate, html, page } from "./html";

interface FieldError {
  subscription: string;
  amount: string;
  message: string;
}

function subscriptionCard(session: PortalSession, subscription: Subscription, error?: FieldError) {
  const item = subscription.items.data[0];
  const price = item?.price;
  const amount = price ? formatAmount((price.unit_amount ?? 0) * (item.quantity ?? 1), price.currency) : "";
  const interval = price?.recurring?.interval ?? "month";
  const live = subscription.status !== "canceled";
  const base = `/portal/${session.id}/subscriptions/${subscription.id}`;
  const fieldId = `amount-${subscription.id}`;
  const errorId = `${fieldId}-error`;
  const hasError = error?.subscription === subscription.id;
  return html`<section class="card" aria-labelledby="title-${subscription.id}">
    <h3 id="title-${subscription.id}">${amount} per ${interval}</h3>
    <p>
      Status: <strong>${subscription.status}</strong>.
      ${live && subscription.cancel_at_period_end ? `Ends on ${formatDate(subscription.current_period_end)}.` : ""}
      ${live && !subscription.cancel_at_period_end ? `Renews on ${formatDate(subscription.current_period_end)}.` : ""}
      ${!live && subscription.ended_at ? `Ended on ${formatDate(subscription.ended_at)}.` : ""}
    </p>
    ${
      live
        ? html`<div class="actions">
              ${
                subscription.cancel_at_period_end
                  ? html`<form method="post" action="${base}/renew">
                      <button type="submit">Keep contributing</button>
                    </form>`
                  : html`<form method="post" action="${base}/cancel">
                      <input type="hidden" name="when" value="period_end" />
                      <button type="submit" class="secondary">Cancel at end of period</button>
                    </form>`
              }
              <form method="post" action="${base}/cancel">
                <input type="hidden" name="when" value="now" /> <button type="submit" class="danger">Cancel now</button>
              </form>
            </div>
            ${
              subscription.items.data.length === 1 && price
                ? html`<form method="post" action="${base}/amount" novalidate>
                    <label for="${fieldId}">New amount per ${interval} (${price.currency.toUpperCase()})</label>
                    <input
                      id="${fieldId}"
                      name="amount"
                      inputmode="decimal"
                      required
                      value="${hasError ? error.amount : ""}"
                      ${hasError ? html`aria-invalid="true" aria-describedby="${errorId}"` : ""}
                    />
                    ${hasError ? html`<p class="error" id="${errorId}" role="alert">${error.message}</p>` : ""}
                    <button type="submit">Change amount</button>
                  </form>`
                : ""
            }`
        : ""
    }
  </section>`;
}

function render(engine: Engine, session: PortalSession, error?: FieldError): string {
  const subscriptions = engine.store
    .all("subscriptions")
    .filter((s) => s.customer === session.customer && s.status !== "incomplete");
  const invoices = engine.store.all("invoices").filter((i) => i.customer === session.customer);
  const customer = engine.store.get("customers", session.customer);
  return page(
    "Manage your contributions",
    html`<h1>Manage your contributions</h1>
      ${customer?.email ? html`<p>Signed in as <strong>${customer.email}</strong></p>` : ""}
      <h2>Subscriptions</h2>
      ${subscriptions.length ? subscriptions.map((s) => subscriptionCard(session, s, error)) : html`<p>No subscriptions.</p>`}
      <h2>Invoices</h2>
      ${
        invoices.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                  <th scope="col">Invoice</th>
                </tr>
              </thead>
              <tbody>
                ${invoices.map(
                  (invoice) =>
                    html`<tr>
                      <td>${formatDate(invoice.created)}</td>
                      <td>${formatAmount(invoice.total, invoice.currency)}</td>
                      <td>${invoice.status}</td>
                      <td><a href="${invoice.hosted_invoice_url ?? "#"}">View ${invoice.number ?? invoice.id}</a></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p>No invoices yet.</p>`
      }
      ${session.return_url ? html`<p><a href="${session.return_url}">Return to Hearth</a></p>` : ""}`,
  );
}

function notFoundPage(res: ServerResponse): void {
  sendHtml(res, 404, page("Not found", html`<h1>Portal link not valid</h1>`));
}

// GET /portal/:id: the portal page
export function showPortal(engine: Engine, res: ServerResponse, id: string): void {
  const session = engine.store.get("portalSessions", id);
  if (!session) return notFoundPage(res);
  sendHtml(res, 200, render(engine, session));
}

// POST /portal/:id/subscriptions/:sub/(cancel|renew|amount): act, then return to return_url
export function portalAction(
  engine: Engine,
  res: ServerResponse,
  id: string,
  subscriptionId: string,
  action: string,
  body: string,
): void {
  const session = engine.store.get("portalSessions", id);
  const owned = engine.store.get("subscriptions", subscriptionId);
  // A portal session only ever reaches its own customer's subscriptions.
  if (!session || !owned || owned.customer !== session.customer) return notFoundPage(res);
  const form = parseForm(body);
  const back = session.return_url ?? `/portal/${session.id}`;
  try {
    engine.mutate((ctx) => {
      const subscription = ctx.store.require("subscriptions", subscriptionId);
      if (action === "cancel" && form.when === "now") return cancelSubscription(ctx, subscription);
      if (action === "cancel") return updateSubscription(ctx, subscription, { cancel_at_period_end: true });
      if (action === "renew") return updateSubscription(ctx, subscription, { cancel_at_period_end: false });
      const item = subscription.items.data[0];
      if (!item || subscription.items.data.length !== 1)
        throw invalidRequest("Only single-item subscriptions can change amount.");
      const amount = parseAmount(String(form.amount ?? ""), item.price.currency);
      if (amount === undefined || amount < 1) {
        throw new StripeApiError(400, {
          type: "invalid_request_error",
          message: "Enter an amount such as 5 or 5.50.",
          param: "amount",
        });
      }
      const price = createPrice(ctx, {
        product: typeof item.price.product === "string" ? item.price.product : item.price.product.id,
        currency: item.price.currency,
        unit_amount: amount,
        recurring: item.price.recurring
          ? { interval: item.price.recurring.interval, interval_count: item.price.recurring.interval_count }
          : { interval: "month" },
      });
      return updateSubscription(ctx, subscription, { items: [{ id: item.id, price }] });
    });
    redirect(res, back);
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    const fieldError =
      error.body.param === "amount"
        ? { subscription: subscriptionId, amount: String(form.amount ?? ""), message: error.body.message }
        : undefined;
    if (!fieldError) {
      return sendHtml(
        res,
        409,
        page(
          "Not possible",
          html`<h1>That change is not possible</h1>
            <p>${error.body.message}</p>
            <p><a href="/portal/${session.id}">Back to the portal</a></p>`,
        ),
      );
    }
    sendHtml(res, 400, render(engine, session, fieldError));
  }
}
