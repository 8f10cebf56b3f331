// Turning a published address ("127.0.0.1:49153" on the Docker host) into a URL Hearth itself
// can call. On a local engine that is the address as is; on a remote engine it is the engine's
// host name, which only works when HEARTH_PUBLISH_IP is an address the host is reachable on.
import { engineIsLocal } from "@/server/docker/connection";
import type { Env } from "@/server/config/env";

export function reachableUrl(address: string, config: Pick<Env, "DOCKER_HOST">): string {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = address.slice(colon + 1);
  let target = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
  if (!engineIsLocal(config) && config.DOCKER_HOST && (target === "127.0.0.1" || target === "::1")) {
    target = new URL(config.DOCKER_HOST).hostname;
  }
  return `http://${target.includes(":") ? `[${target}]` : target}:${port}`;
}
