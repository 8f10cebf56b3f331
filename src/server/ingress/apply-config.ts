// Loading a configuration into the running Caddy, through the engine: the file is put into the
// container, then `caddy reload` (run inside it) posts it to the admin API on the container's
// loopback. Caddy loads a configuration whole or not at all: when it refuses one, the previous
// keeps serving, and Hearth reports Caddy's reason.
import "server-only";
import type Docker from "dockerode";
import { execIn } from "@/server/provisioning/container-io";
import { StepError } from "@/server/provisioning/docker-errors";
import { putConfigFile } from "./ingress-container";
import { ADMIN_ADDRESS, CONFIG_PATH } from "./render-config";

export async function applyConfig(docker: Docker, container: string, config: unknown): Promise<void> {
  await putConfigFile(docker, container, CONFIG_PATH, JSON.stringify(config));
  const result = await execIn(docker, container, ["caddy", "reload", "--config", CONFIG_PATH, "--address", ADMIN_ADDRESS], 120);
  if (result.exitCode !== 0) {
    const reason = (result.stderr || result.stdout).trim().split("\n").filter(Boolean).slice(-2).join(" ");
    throw new StepError(`The ingress refused the new configuration and kept the previous one: ${reason}`);
  }
}

