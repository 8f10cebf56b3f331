// GET /invoices/:id: the hosted invoice page an invoice's `hosted_invoice_url` points at.
import type { ServerResponse } from "node:http";
import type { Engine } from "../core/engine";
import { sendHtml } from "../core/http";
import { formatAmount } from "../core/money";
import { formatDate, html, page } from "./html";

export function showInvoice(engine: Engine, res: ServerResponse, id: string): void {
  const invoice = engine.store.get("invoices", id);
  if (!invoice) return sendHtml(res, 404, page("Not found", html`<h1>Invoice not found</h1>`));
  const rows = invoice.lines.data.map(
    (line) =>
      html`<tr>
        <td>${line.description}</td>
        <td>${formatAmount(line.amount, line.currency)}</td>
      </tr>`,
  );
  sendHtml(
    res,
    200,
    page(
      `Invoice ${invoice.number ?? invoice.id}`,
      html`<h1>Invoice ${invoice.number ?? invoice.id}</h1>
        <p>Status: <strong>${invoice.status}</strong></p>
        <p>Period: ${formatDate(invoice.period_start)} to ${formatDate(invoice.period_end)}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
        <p class="total">Total: ${formatAmount(invoice.total, invoice.currency)}</p>
        <p>
          Paid: ${formatAmount(invoice.amount_paid, invoice.currency)}; remaining:
          ${formatAmount(invoice.amount_remaining, invoice.currency)}
        </p>`,
    ),
  );
}
