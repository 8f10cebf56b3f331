// The last steps of bringing an instance up behind the ingress: route its domain to the app
// processes, wait for the certificate, and reach the software's health path over HTTPS as a
// visitor would. Only then is the community LIVE. With HEARTH_INGRESS=off, the old step that
// records the published ports takes their place (see plan-running.ts).
import "server-only";
import { db } from "@/server/db/client";
import { extraRoots } from "@/server/provisioning/ingress/ca-root";
import { fetchOverHttps, ReachError, type HttpsAnswer } from "@/server/provisioning/ingress/check-https";
import { reconcileIngress } from "@/server/provisioning/ingress/reconcile-ingress";
import { readIngressState } from "@/server/provisioning/ingress/ingress-state";
import { ingressSettings, instanceUrl } from "@/server/provisioning/ingress/settings";
import { StepError } from "./docker-errors";
import type { PlanContext } from "./run-plan-context";
import type { Stage, Step } from "./run-steps";
import { INGRESS_ROUTING } from "./templates";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET through the ingress, as often as needed until `done` says so or the deadline passes. */
async function pollThroughIngress(
  ctx: PlanContext,
  path: string,
  done: (answer: HttpsAnswer) => boolean,
  progress: (detail: string) => void,
): Promise<HttpsAnswer> {
  const settings = ingressSettings(ctx.config);
  const deadline = Date.now() + ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS * 1000;
  let last = "no answer yet";
  for (let wait = 200; ; wait = Math.min(wait * 2, 3_000)) {
    const port = (await readIngressState()).httpsPort ?? settings.httpsPort;
    try {
      const answer = await fetchOverHttps({
        domain: ctx.domain,
        port,
        path,
        roots: extraRoots(ctx.config, settings.issuer.kind === "internal"),
        dnsServers: ctx.config.HEARTH_DNS_SERVERS,
      });
      if (done(answer)) return answer;
      last = `HTTP ${answer.status} from ${instanceUrl(ctx.domain, port)}${path}`;
    } catch (error) {
      if (!(error instanceof ReachError)) throw error;
      last = error.message;
    }
    progress(last);
    if (Date.now() > deadline) throw new StepError(`${last} (waited ${ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS} s)`);
    await sleep(wait);
  }
}

export function ingressSteps(ctx: PlanContext): Stage[] {
  const health = INGRESS_ROUTING[ctx.software].healthPath;
  const route: Step = {
    key: "ingress:route",
    label: "Route the domain through the ingress",
    run: async () => {
      await db.instance.updateMany({ where: { id: ctx.instance.id, routedAt: null }, data: { routedAt: new Date() } });
      const result = await reconcileIngress(ctx.docker, ctx.config);
      return `${ctx.domain} routed (${result.routes} domains on the ingress)`;
    },
  };
  const certificate: Step = {
    key: "ingress:certificate",
    label: "Certificate for the domain",
    run: async (progress) => {
      const answer = await pollThroughIngress(ctx, health, () => true, progress);
      return answer.issuer ? `Issued by ${answer.issuer}` : "Valid";
    },
  };
  const reachable: Step = {
    key: "ingress:reachable",
    label: `Reachable at https://${ctx.domain}`,
    run: async (progress) => {
      await pollThroughIngress(ctx, health, (answer) => answer.status >= 200 && answer.status < 300, progress);
      const url = instanceUrl(ctx.domain, (await readIngressState()).httpsPort);
      await db.instance.update({ where: { id: ctx.instance.id }, data: { webAddress: url, streamingAddress: null } });
      await db.community.update({ where: { id: ctx.instance.communityId }, data: { status: "LIVE" } });
      return `${url}${health} answered`;
    },
  };
  return [[route], [certificate], [reachable]];
}

/** Stopping or deleting: the ingress shows the paused page (or nothing) instead of the app. */
export function unrouteStep(ctx: PlanContext): Step {
  return {
    key: "ingress:unroute",
    label: "Show the paused page at the domain",
    run: async () => {
      await db.instance.update({ where: { id: ctx.instance.id }, data: { routedAt: null } });
      await reconcileIngress(ctx.docker, ctx.config);
    },
  };
}
