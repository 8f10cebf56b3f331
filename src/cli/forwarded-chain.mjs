// Which address a request came from. The socket's peer is the last hop; each reverse proxy in
// front appends the address it saw to X-Forwarded-For. With N trusted proxies, the client is
// the entry N places left of the socket's peer; anything further left was written by the
// client and is ignored. With none trusted, the header is ignored entirely.
import { isIP } from "node:net";

/**
 * @param {string | string[] | undefined} forwardedFor the X-Forwarded-For header(s) as received
 * @param {string | undefined} socketAddress the TCP peer (req.socket.remoteAddress)
 * @param {number} trustedProxies how many proxies (HEARTH_TRUSTED_PROXIES) append to the header
 * @returns {string} an IP address, or "unknown"
 */
export function clientFromChain(forwardedFor, socketAddress, trustedProxies) {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  const hops = trustedProxies > 0 ? header.split(",").map((hop) => hop.trim()).filter(Boolean) : [];
  const chain = [...hops, socketAddress ?? ""];
  const picked = chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? "";
  const bare = picked.replace(/^\[([^\]]+)\](:\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  return isIP(bare) ? bare : "unknown";
}
