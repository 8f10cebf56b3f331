// The shared table markup: a caption (hidden unless shown), headings with scope (an actions
// column's heading for screen readers only), one row per record with its cells in column order.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { DataTable } from "./data-table";

type Row = { id: string; name: string; amount: number };
const rows: Row[] = [
  { id: "a", name: "Alpha <b>", amount: 1 },
  { id: "b", name: "Beta", amount: 2 },
];
const columns = [
  { header: "Name", cell: (row: Row) => row.name },
  { header: "Amount", cell: (row: Row) => `${row.amount} €` },
  { header: "Actions", hiddenHeader: true, cell: (row: Row) => createElement("button", { type: "button" }, `Remove ${row.id}`) },
];

it("renders caption, headings and one row per record, escaping cell text", () => {
  const html = renderToStaticMarkup(createElement(DataTable<Row>, { caption: "Things", rows, columns, rowKey: (row) => row.id, className: "admin-table" }));
  expect(html).toContain('<table class="admin-table"><caption class="visually-hidden">Things</caption>');
  expect(html).toContain('<th scope="col">Name</th><th scope="col">Amount</th><th scope="col"><span class="visually-hidden">Actions</span></th>');
  expect(html).toContain("<tr><td>Alpha &lt;b&gt;</td><td>1 €</td><td><button type=\"button\">Remove a</button></td></tr>");
  expect(html.match(/<tr>/g)).toHaveLength(3);
});

it("shows the caption when asked, and an empty body for no rows", () => {
  const html = renderToStaticMarkup(createElement(DataTable<Row>, { caption: "Nothing yet", showCaption: true, rows: [], columns, rowKey: (row) => row.id }));
  expect(html).toContain("<caption>Nothing yet</caption>");
  expect(html).toContain("<tbody></tbody>");
});
