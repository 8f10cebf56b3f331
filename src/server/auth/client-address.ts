import "server-only";
import { isIP, isIPv4, isIPv6 } from "node:net";
import { log } from "@/server/log";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * Set on every request by the web server (src/cli/web-server.mjs) from the socket address
 * and HEARTH_TRUSTED_PROXIES, replacing anything the client sent under that name. Next.js
 * itself cannot tell the socket address to a route handler, action or proxy: it copies it
 * into X-Forwarded-For only when the client sent none.
 */
export const CLIENT_ADDRESS_HEADER = "x-hearth-client-address";

function header(source: HeaderSource, name: string): string {
  if (source instanceof Headers) return source.get(name) ?? "";
  const value = source[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

let warned = false;

/** The client's IP address as the web server established it, or "unknown". */
export function clientIp(headers: HeaderSource): string {
  // Believed only inside the process that set it: under a bare `next start` a client could send it.
  if (process.env.HEARTH_CLIENT_ADDRESS_HEADER !== "1") {
    if (!warned) {
      warned = true;
      log.warn("the web app was not started by src/cli/web-server.mjs (npm start): client addresses are unknown, so per-address limits are shared");
    }
    return "unknown";
  }
  const value = header(headers, CLIENT_ADDRESS_HEADER).trim();
  return isIP(value) ? value : "unknown";
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

/** The client's address as rate limits key it (IPv6 by /64). */
export function clientAddress(headers: HeaderSource): string {
  const ip = clientIp(headers);
  return ip === "unknown" ? ip : normaliseAddress(ip);
}
