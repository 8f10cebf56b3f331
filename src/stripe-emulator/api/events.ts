// /v1/events: retrieve and list, optionally by type (`type=invoice.*` works as in Stripe).
import { z } from "zod";
import { paginate } from "../core/list";
import { listParams, parseParams } from "../core/params";
import { route, type Route } from "./route";

const listSchema = z.strictObject({
  ...listParams,
  type: z.string().optional(),
  types: z.array(z.string()).max(20).optional(),
});

function matches(type: string, pattern: string): boolean {
  return pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

export const eventRoutes: Route[] = [
  // GET /v1/events/:id: retrieve an event
  route("GET", "/v1/events/:id", ({ engine, path }) =>
    engine.read((ctx) => ctx.store.require("events", path.id ?? "")),
  ),

  // GET /v1/events: list, newest first
  route("GET", "/v1/events", ({ engine, params }) => {
    const input = parseParams(listSchema, params);
    return engine.read((ctx) =>
      paginate(
        ctx.store
          .all("events")
          .filter((e) => input.type === undefined || matches(e.type, input.type))
          .filter((e) => input.types === undefined || input.types.some((t) => matches(e.type, t))),
        input,
        "/v1/events",
      ),
    );
  }),
];
