// GET/POST /checkout/:id: the hosted payment page a Checkout Session's `url` points at.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "../core/engine";
import { StripeApiError } from "../core/errors";
import { parseForm } from "../core/form";
import { redirect, sendHtml } from "../core/http";
import { formatAmount } from "../core/money";
import type { CheckoutSession } from "../core/types";
import { completeCheckout, successRedirect } from "../model/checkout";
import { html, page } from "./html";

interface FormState {
  cardNumber: string;
  error?: string;
}

function summary(engine: Engine, session: CheckoutSession) {
  const lines = engine.store.state.checkoutLineItems[session.id] ?? [];
  const rows = lines.map((line) => {
    const interval = line.price?.recurring?.interval ?? "month";
    return html`<tr>
      <td>${line.description ?? "Contribution"}${line.quantity && line.quantity > 1 ? ` × ${line.quantity}` : ""}</td>
      <td>${formatAmount(line.amount_total, line.currency)} per ${interval}</td>
    </tr>`;
  });
  return html`<table>
      <caption class="hint">
        What you are subscribing to
      </caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Price</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    <p class="total">Total due today: ${formatAmount(session.amount_total ?? 0, session.currency ?? "usd")}</p>`;
}

function renderOpen(engine: Engine, session: CheckoutSession, form: FormState): string {
  const email = session.customer
    ? engine.store.get("customers", session.customer as string)?.email
    : session.customer_email;
  const errorId = "card-error";
  return page(
    "Subscribe",
    html`<h1>Subscribe</h1>
      ${summary(engine, session)} ${email ? html`<p>Paying as <strong>${email}</strong></p>` : ""}
      ${form.error ? html`<div class="alert" role="alert" id="${errorId}"><p class="error">${form.error}</p></div>` : ""}
      <form method="post" action="/checkout/${session.id}" novalidate>
        <label for="card-number">Card number</label>
        <input
          id="card-number"
          name="card_number"
          inputmode="numeric"
          autocomplete="cc-number"
          required
          value="${form.cardNumber}"
          aria-describedby="card-hint${form.error ? ` ${errorId}` : ""}"
          ${form.error ? html`aria-invalid="true"` : ""}
        />
        <p class="hint" id="card-hint">
          Test cards: 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined; 4000 0000 0000 0341 succeeds now
          and fails on renewal.
        </p>
        <button type="submit">Subscribe</button>
      </form>
      ${session.cancel_url ? html`<p><a href="${session.cancel_url}">Cancel and return</a></p>` : ""}`,
  );
}

function renderClosed(session: CheckoutSession): string {
  const complete = session.status === "complete";
  const target = complete ? successRedirect(session) : session.cancel_url;
  return page(
    complete ? "Already paid" : "Checkout closed",
    html`<h1>${complete ? "This checkout is already complete" : "This checkout is no longer available"}</h1>
      ${target ? html`<p><a href="${target}">Continue</a></p>` : ""}`,
  );
}

function notFoundPage(res: ServerResponse): void {
  sendHtml(
    res,
    404,
    page(
      "Not found",
      html`<h1>Checkout not found</h1>
        <p>This payment link is not valid.</p>`,
    ),
  );
}

// GET /checkout/:id: show the page
export function showCheckout(engine: Engine, res: ServerResponse, id: string): void {
  const session = engine.store.get("checkoutSessions", id);
  if (!session) return notFoundPage(res);
  const open = session.status === "open" && session.expires_at > Math.floor(Date.now() / 1000);
  sendHtml(res, 200, open ? renderOpen(engine, session, { cardNumber: "" }) : renderClosed(session));
}

// POST /checkout/:id: pay with the card entered; a decline re-renders the page with the error
export function submitCheckout(
  engine: Engine,
  _req: IncomingMessage,
  res: ServerResponse,
  id: string,
  body: string,
): void {
  const session = engine.store.get("checkoutSessions", id);
  if (!session) return notFoundPage(res);
  const cardNumber = String(parseForm(body).card_number ?? "");
  try {
    const completed = engine.mutate((ctx) =>
      completeCheckout(ctx, ctx.store.require("checkoutSessions", id), cardNumber),
    );
    redirect(res, successRedirect(completed));
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    const current = engine.store.get("checkoutSessions", id) ?? session;
    if (error.status === 402) {
      return sendHtml(res, 402, renderOpen(engine, current, { cardNumber, error: error.body.message }));
    }
    sendHtml(res, 409, renderClosed(current));
  }
}
