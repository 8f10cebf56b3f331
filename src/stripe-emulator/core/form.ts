// Decodes Stripe's form encoding: `a[b][0][c]=v`, `list[]=x`, `metadata[k]=v`, into nested
// objects and arrays. The SDK indexes arrays (`expand[0]`); curl users write `expand[]`.
import { invalidParams } from "./errors";

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

// Keys that would reach Object.prototype if used as property names.
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
// Under these keys numeric-looking names are map keys, not array indices.
const MAP_KEYS = new Set(["metadata"]);

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    throw invalidParams(`Could not decode '${part}'.`, part);
  }
}

function splitKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) throw invalidParams(`Invalid parameter name: ${key}`, key);
  const rest = match[2] ? [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "") : [];
  const segments = [match[1] ?? "", ...rest];
  for (const segment of segments) {
    if (FORBIDDEN.has(segment)) throw invalidParams(`Invalid parameter name: ${key}`, key);
  }
  return segments;
}

function isObject(value: FormValue | undefined): value is FormObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function assign(root: FormObject, segments: string[], value: string, fullKey: string): void {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i] ?? "";
    // `[]` appends: the next index is the count of entries already there.
    if (segment === "") segment = String(Object.keys(node).length);
    if (i === segments.length - 1) {
      if (isObject(node[segment])) throw invalidParams(`Invalid hash: ${fullKey}`, fullKey);
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) {
      const created: FormObject = {};
      node[segment] = created;
      node = created;
    } else if (isObject(next)) {
      node = next;
    } else {
      // `metadata=` clears metadata; `metadata=&metadata[k]=v` makes no sense, but a
      // plain value before a nested one is otherwise a malformed request.
      throw invalidParams(`Invalid hash: ${fullKey}`, fullKey);
    }
  }
}

function toArrays(value: FormValue, keepMap: boolean): FormValue {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const numeric = keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k));
  if (numeric && !keepMap) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => toArrays(value[String(k)] as FormValue, false));
  }
  const out: FormObject = {};
  for (const key of keys) out[key] = toArrays(value[key] as FormValue, MAP_KEYS.has(key));
  return out;
}

export function parseForm(raw: string): FormObject {
  const root: FormObject = {};
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? "" : pair.slice(eq + 1));
    assign(root, splitKey(key), value, key);
  }
  return toArrays(root, false) as FormObject;
}
