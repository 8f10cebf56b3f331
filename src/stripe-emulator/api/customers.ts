// /v1/customers: create, retrieve, update, list (optionally by email).
import { z } from "zod";
import { paginate } from "../core/list";
import { listParams, mergeMetadata, initialMetadata, metadata, parseParams } from "../core/params";
import { emit } from "../core/context";
import { createCustomer } from "../model/customers";
import { route, type Route } from "./route";

const fields = {
  // An empty value clears the field on update.
  email: z.union([z.literal(""), z.email({ message: "must be a valid email address" })]).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  metadata: metadata.optional(),
};

const createSchema = z.strictObject(fields);
const updateSchema = z.strictObject(fields);
const listSchema = z.strictObject({ ...listParams, email: z.string().optional() });

export const customerRoutes: Route[] = [
  // POST /v1/customers: create a customer
  route("POST", "/v1/customers", ({ engine, params, request }) => {
    const input = parseParams(createSchema, params);
    return engine.mutate(
      (ctx) =>
        createCustomer(ctx, {
          email: input.email || undefined,
          name: input.name || undefined,
          description: input.description || undefined,
          metadata: initialMetadata(input.metadata),
        }),
      request,
    );
  }),

  // GET /v1/customers/:id: retrieve a customer
  route("GET", "/v1/customers/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("customers", path.id ?? "")),
  ),

  // POST /v1/customers/:id: update email, name, description, metadata
  route("POST", "/v1/customers/:id", ({ engine, path, params, request }) => {
    const input = parseParams(updateSchema, params);
    return engine.mutate((ctx) => {
      const customer = ctx.store.require("customers", path.id ?? "");
      const before = structuredClone(customer);
      if (input.email !== undefined) customer.email = input.email || null;
      if (input.name !== undefined) customer.name = input.name || null;
      if (input.description !== undefined) customer.description = input.description || null;
      customer.metadata = mergeMetadata(customer.metadata, input.metadata);
      if (JSON.stringify(before) !== JSON.stringify(customer)) emit(ctx, "customer.updated", customer, before);
      return customer;
    }, request);
  }),

  // GET /v1/customers: list, newest first, optionally only those with an exact email
  route("GET", "/v1/customers", ({ engine, params }) => {
    const input = parseParams(listSchema, params);
    return engine.read((ctx) => {
      const customers = ctx.store.all("customers").filter((c) => input.email === undefined || c.email === input.email);
      return paginate(customers, input, "/v1/customers");
    });
  }),
];
