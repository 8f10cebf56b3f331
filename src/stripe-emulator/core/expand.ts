// `expand[]=a.b`: replaces id strings along the path with the objects they name. Paths on
// lists start with `data.`. Works on a copy so stored objects keep their ids.
import { invalidRequest } from "./errors";
import type { Store } from "./store";

// Stripe's limit on expansion depth.
const MAX_DEPTH = 4;

function cannotExpand(path: string): Error {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: "expand" });
}

// Fields Stripe leaves out unless expanded.
function includable(store: Store, node: Record<string, unknown>, field: string): unknown {
  if (node.object === "checkout.session" && field === "line_items" && typeof node.id === "string") {
    const data = store.state.checkoutLineItems[node.id] ?? [];
    return { object: "list", data, has_more: false, url: `/v1/checkout/sessions/${node.id}/line_items` };
  }
  return undefined;
}

function expandPath(store: Store, node: unknown, segments: string[], path: string): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const element of node) expandPath(store, element, segments, path);
    return;
  }
  const [field, ...rest] = segments;
  if (field === undefined) return;
  const object = node as Record<string, unknown>;
  let value = includable(store, object, field) ?? object[field];
  if (value === undefined) throw cannotExpand(path);
  if (typeof value === "string") {
    const found = store.findById(value);
    if (found === undefined) throw cannotExpand(path);
    value = structuredClone(found);
  }
  object[field] = value;
  if (rest.length > 0) expandPath(store, value, rest, path);
}

export function expand<T>(store: Store, value: T, paths: string[]): T {
  if (paths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of paths) {
    const segments = path.split(".");
    if (segments.length > MAX_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property (${path}).`, {
        param: "expand",
      });
    }
    expandPath(store, copy, segments, path);
  }
  return copy;
}
