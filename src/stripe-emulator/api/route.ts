// The shape of an API route: handlers get decoded parameters and return the response object.
import type { Engine } from "../core/engine";
import type { FormObject } from "../core/form";
import type { EventRequest } from "../core/types";

export interface ApiRequest {
  engine: Engine;
  path: Record<string, string>;
  // The form body for POST, the query string for GET and DELETE, without `expand`.
  params: FormObject;
  request: EventRequest;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: string;
  handler: (request: ApiRequest) => unknown;
}

export function route(method: Route["method"], pattern: string, handler: Route["handler"]): Route {
  return { method, pattern, handler };
}

// "/v1/customers/:id" against "/v1/customers/cus_123" -> { id: "cus_123" }.
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const expected = want[i] ?? "";
    const actual = got[i] ?? "";
    if (expected.startsWith(":")) {
      if (actual === "") return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
