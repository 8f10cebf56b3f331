// "From where" for the audit log: the client's address (as the trusted proxies report it)
// and its user agent, cut to a sane length.
import "server-only";
import { isIP } from "node:net";
import { headers } from "next/headers";
import { forwardedClient } from "@/server/auth/client-address";

export type RequestOrigin = { ip: string | null; userAgent: string | null };

export function originOf(source: Headers): RequestOrigin {
  const hop = forwardedClient(source).replace(/^\[|\](:\d+)?$/g, "");
  const agent = source.get("user-agent")?.trim();
  return { ip: isIP(hop) ? hop : null, userAgent: agent ? agent.slice(0, 300) : null };
}

/** The origin of the current request (server actions, route handlers, pages). */
export async function requestOrigin(): Promise<RequestOrigin> {
  return originOf(await headers());
}
