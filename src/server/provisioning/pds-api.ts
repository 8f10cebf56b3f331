// Hearth's calls to a community's Bluesky PDS (XRPC over HTTP): through the ingress at the
// community's https address, as everyone reaches it, or at the published port with
// HEARTH_INGRESS=off. Admin calls use the instance's sealed admin password (Basic auth, user
// "admin"), which only Hearth knows.
import "server-only";
import { db } from "@/server/db/client";
import { StepError } from "./docker-errors";
import { requestThroughIngress, type IngressResponse } from "./ingress/post-through-ingress";
import { reachableUrl } from "./published-address";
import type { PlanContext } from "./run-plan-context";

/** The PDS answered with an XRPC error: its HTTP status, `error` code and message. */
export class PdsError extends StepError {
  constructor(
    readonly nsid: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(`The Bluesky PDS refused ${nsid} (HTTP ${status}${code ? `, ${code}` : ""}${detail ? `: ${detail}` : ""}).`);
  }
}

type Call = {
  /** JSON body: a procedure (POST). Absent: a query (GET). */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** "admin": Basic auth with the admin password; any other string: a Bearer token. */
  auth?: "admin" | { bearer: string };
};

async function send(ctx: PlanContext, method: "GET" | "POST", path: string, body: string | undefined, headers: Record<string, string>): Promise<IngressResponse> {
  if (ctx.config.HEARTH_INGRESS === "on") return requestThroughIngress(ctx, { method, path, body, headers });
  const { webAddress } = await db.instance.findUniqueOrThrow({ where: { id: ctx.instance.id }, select: { webAddress: true } });
  if (!webAddress) throw new StepError("The Bluesky PDS has no published address yet.");
  return fetch(`${reachableUrl(webAddress, ctx.config)}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) })
    .then(async (r) => ({ ok: r.ok, status: r.status, text: await r.text() }))
    .catch((error: unknown) => {
      throw new StepError(`The Bluesky PDS at ${webAddress} did not answer (${(error as Error).message}).`);
    });
}

export async function pdsXrpc<T>(ctx: PlanContext, nsid: string, call: Call = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) params.set(key, String(value));
  const path = `/xrpc/${nsid}${params.size ? `?${params}` : ""}`;
  const headers: Record<string, string> = {};
  if (call.body !== undefined) headers["Content-Type"] = "application/json";
  if (call.auth === "admin") {
    const password = ctx.secrets().pds?.adminPassword;
    if (!password) throw new StepError("This instance has no PDS admin password.");
    headers.Authorization = `Basic ${Buffer.from(`admin:${password}`).toString("base64")}`;
  } else if (call.auth) {
    headers.Authorization = `Bearer ${call.auth.bearer}`;
  }
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const response = await send(ctx, call.body === undefined ? "GET" : "POST", path, body, headers);
  let parsed: unknown = undefined;
  try {
    parsed = response.text ? JSON.parse(response.text) : {};
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { error?: unknown; message?: unknown };
    throw new PdsError(
      nsid,
      response.status,
      typeof error.error === "string" ? error.error : undefined,
      typeof error.message === "string" ? error.message.slice(0, 200) : undefined,
    );
  }
  if (parsed === undefined) throw new StepError(`The Bluesky PDS answered ${nsid} with something that is not JSON.`);
  return parsed as T;
}
