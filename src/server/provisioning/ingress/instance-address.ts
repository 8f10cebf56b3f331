// The instance's address as pages show it: its stored domain (the base domain of today for the
// few communities that have none stored yet), and the https link once the ingress serves it.
import "server-only";
import { env } from "@/server/config/env";
import { readIngressState } from "./ingress-state";
import { instanceUrl } from "./settings";

export async function instanceAddress(community: { slug: string; domain: string | null; status: string }) {
  const config = env();
  const domain = community.domain ?? `${community.slug}.${config.HEARTH_BASE_DOMAIN}`;
  if (community.status !== "LIVE" || config.HEARTH_INGRESS !== "on") return { domain, url: null };
  const state = await readIngressState();
  return { domain, url: instanceUrl(domain, state.httpsPort ?? config.HEARTH_INGRESS_HTTPS_PORT) };
}
