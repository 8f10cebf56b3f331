// A POST to an instance through the ingress, as its organiser's browser would send it (Hearth
// creates the Misskey-family admin account this way): the same address, certificate and roots
// as the reachability check.
import "server-only";
import { request } from "node:https";
import { rootCertificates } from "node:tls";
import { StepError } from "@/server/provisioning/docker-errors";
import type { PlanContext } from "@/server/provisioning/run-plan-context";
import { extraRoots } from "./ca-root";
import { resolveAddress } from "./check-https";
import { readIngressState } from "./ingress-state";
import { ingressSettings } from "./settings";

export type IngressResponse = { ok: boolean; status: number; text: string };

export async function postThroughIngress(ctx: PlanContext, path: string, json: string): Promise<IngressResponse> {
  return requestThroughIngress(ctx, { method: "POST", path, body: json, headers: { "Content-Type": "application/json" } });
}

/** Any request to the instance's domain through the ingress (a PDS's admin API needs GET and Basic auth too). */
export async function requestThroughIngress(
  ctx: PlanContext,
  options: { method: "GET" | "POST"; path: string; body?: string; headers?: Record<string, string> },
): Promise<IngressResponse> {
  const { method, path, body } = options;
  const settings = ingressSettings(ctx.config);
  const port = (await readIngressState()).httpsPort ?? settings.httpsPort;
  const address = await resolveAddress(ctx.domain, ctx.config.HEARTH_DNS_SERVERS);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        path,
        method,
        servername: ctx.domain,
        headers: {
          Host: port === 443 ? ctx.domain : `${ctx.domain}:${port}`,
          ...options.headers,
          ...(body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) }),
        },
        ca: [...rootCertificates, ...extraRoots(ctx.config, settings.issuer.kind === "internal")],
        timeout: 60_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 300, status, text: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 60 s")));
    req.on("error", (error) => reject(new StepError(`https://${ctx.domain}:${port}${path} did not answer (${error.message}).`)));
    req.end(body);
  });
}
