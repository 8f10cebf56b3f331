// /v1/invoices: retrieve and list (by customer, subscription, status, created).
import { z } from "zod";
import { paginate } from "../core/list";
import { createdRange, id, inCreatedRange, listParams, parseParams } from "../core/params";
import { route, type Route } from "./route";

const listSchema = z.strictObject({
  ...listParams,
  customer: id.optional(),
  subscription: id.optional(),
  status: z.enum(["draft", "open", "paid", "uncollectible", "void"]).optional(),
  created: createdRange.optional(),
});

export const invoiceRoutes: Route[] = [
  // GET /v1/invoices/:id: retrieve an invoice
  route("GET", "/v1/invoices/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("invoices", path.id ?? "")),
  ),

  // GET /v1/invoices/:id/lines: an invoice's line items
  route("GET", "/v1/invoices/:id/lines", ({ engine, path, params }) => {
    const input = parseParams(z.strictObject(listParams), params);
    return engine.read((ctx) => {
      const invoice = ctx.store.require("invoices", path.id ?? "");
      return paginate(invoice.lines.data, input, `/v1/invoices/${invoice.id}/lines`);
    });
  }),

  // GET /v1/invoices: list, newest first
  route("GET", "/v1/invoices", ({ engine, params }) => {
    const input = parseParams(listSchema, params);
    return engine.read((ctx) =>
      paginate(
        ctx.store
          .all("invoices")
          .filter((i) => input.customer === undefined || i.customer === input.customer)
          .filter((i) => input.subscription === undefined || i.subscription === input.subscription)
          .filter((i) => input.status === undefined || i.status === input.status)
          .filter((i) => inCreatedRange(input.created, i.created)),
        input,
        "/v1/invoices",
      ),
    );
  }),
];
