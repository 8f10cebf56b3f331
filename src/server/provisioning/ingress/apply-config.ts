// Loading a configuration into the running Caddy, through the engine: the file is put into the
// container, then wget (in the official image and the test bed's) posts it to the admin API on
// the container's loopback. Caddy loads a configuration whole or not at all: when it refuses
// one, the previous keeps serving. wget does not show Caddy's reason, so after a refusal the
// same file goes through `caddy reload`, which does (the CLI takes seconds to start on a busy
// host, too slow for every change).
import "server-only";
import type Docker from "dockerode";
import { execIn } from "@/server/provisioning/container-io";
import { StepError } from "@/server/provisioning/docker-errors";
import { putConfigFile } from "./ingress-container";
import { ADMIN_ADDRESS, CONFIG_PATH } from "./render-config";

export async function applyConfig(docker: Docker, container: string, config: unknown): Promise<void> {
  await putConfigFile(docker, container, CONFIG_PATH, JSON.stringify(config));
  const load = await execIn(
    docker,
    container,
    ["wget", "-q", "-O", "/dev/null", "--header=Content-Type: application/json", `--post-file=${CONFIG_PATH}`, `http://${ADMIN_ADDRESS}/load`],
    120,
  );
  if (load.exitCode === 0) return;
  const explain = await execIn(docker, container, ["caddy", "reload", "--config", CONFIG_PATH, "--address", ADMIN_ADDRESS], 120);
  if (explain.exitCode === 0) return; // refused once, loaded now: the configuration is in place
  const reason = (explain.stderr || explain.stdout || load.stderr).trim().split("\n").filter(Boolean).slice(-2).join(" ");
  throw new StepError(`The ingress refused the new configuration and kept the previous one: ${reason}`);
}
