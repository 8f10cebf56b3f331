import "server-only";
import { isIPv4, isIPv6 } from "node:net";
import { env } from "@/server/config/env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string {
  if (source instanceof Headers) return source.get(name) ?? "";
  const value = source[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

/** IPv4 as is; IPv6 cut to its /64, since one client usually holds a whole /64. */
export function normaliseAddress(raw: string): string {
  let address = raw.trim().replace(/^\[|\](:\d+)?$/g, "");
  if (address.startsWith("::ffff:") && isIPv4(address.slice(7))) address = address.slice(7);
  if (isIPv4(address)) return address;
  if (isIPv6(address)) {
    const [head = "", tail = ""] = address.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
    return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
  }
  return "unknown";
}

/**
 * The client's address for rate limits. Next.js sets X-Forwarded-For to the socket address
 * only when the request has none, and each reverse proxy appends the address it saw, so the
 * entry HEARTH_TRUSTED_PROXIES places from the right is the one the outermost trusted proxy
 * saw. Without a proxy a client can put anything there: the per-account limit still holds.
 */
export function clientAddress(headers: HeaderSource, trustedProxies = env().HEARTH_TRUSTED_PROXIES): string {
  const pick = forwardedClient(headers, trustedProxies);
  return pick ? normaliseAddress(pick) : "unknown";
}

/** The same entry, as written (for the audit log, where a whole address is wanted); "" when absent. */
export function forwardedClient(headers: HeaderSource, trustedProxies = env().HEARTH_TRUSTED_PROXIES): string {
  const hops = header(headers, "x-forwarded-for")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops[Math.max(0, hops.length - Math.max(1, trustedProxies))] ?? "";
}
