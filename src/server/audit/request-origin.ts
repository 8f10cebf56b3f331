// "From where" for the audit log: the client's address (from the socket, or as the trusted proxies report it)
// and its user agent, cut to a sane length.
import "server-only";
import { headers } from "next/headers";
import { clientIp } from "@/server/auth/client-address";

export type RequestOrigin = { ip: string | null; userAgent: string | null };

export function originOf(source: Headers): RequestOrigin {
  const ip = clientIp(source);
  const agent = source.get("user-agent")?.trim();
  return { ip: ip === "unknown" ? null : ip, userAgent: agent ? agent.slice(0, 300) : null };
}

/** The origin of the current request (server actions, route handlers, pages). */
export async function requestOrigin(): Promise<RequestOrigin> {
  return originOf(await headers());
}
