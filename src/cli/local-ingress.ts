// The ingress for `npm start` on a developer's machine: Caddy's internal CA at
// https://<address>.hearth.localhost:8443 (8080 for HTTP), and the test bed's Caddy image when
// HEARTH_IMAGE_INGRESS is not set (no registry needed; `npm run images:build -- caddy` makes it).
// Without an image the panel still runs; the worker reports the ingress's error in /api/health.
import Docker from "dockerode";
import type { Env } from "@/server/config/env";

export async function localIngressEnv(config: Env, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<Record<string, string>> {
  if (config.HEARTH_INGRESS === "off") return {};
  const out: Record<string, string> = {};
  const local = config.HEARTH_BASE_DOMAIN.endsWith(".localhost");
  if (local && !env.HEARTH_INGRESS_HTTPS_PORT) out.HEARTH_INGRESS_HTTPS_PORT = "8443";
  if (local && !env.HEARTH_INGRESS_HTTP_PORT) out.HEARTH_INGRESS_HTTP_PORT = "8080";
  if (!env.HEARTH_IMAGE_INGRESS) {
    const images = await new Docker().listImages({ filters: { label: ["hearth.testbed=caddy"] } }).catch(() => []);
    const newest = images.sort((a, b) => b.Created - a.Created)[0]?.RepoTags?.[0];
    if (newest) out.HEARTH_IMAGE_INGRESS = newest;
    else {
      say(
        `no ingress image: ${config.HEARTH_IMAGE_INGRESS} cannot be pulled here and the test bed's Caddy is missing ` +
          "(npm run images:build -- caddy, or set HEARTH_IMAGE_INGRESS). The panel runs; instances do not go live until it exists.",
      );
    }
  }
  if (local) {
    const port = out.HEARTH_INGRESS_HTTPS_PORT ?? env.HEARTH_INGRESS_HTTPS_PORT;
    say(`instances answer at https://<address>.${config.HEARTH_BASE_DOMAIN}:${port} (Caddy's local CA; its root is exported to ${config.HEARTH_DATA_DIR}/ingress-root.crt)`);
  }
  return out;
}
