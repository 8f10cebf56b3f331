// How to reach the Docker engine, from the validated configuration. Same meaning as the docker
// CLI's variables, so an operator's existing DOCKER_HOST works: a remote engine over TCP+TLS or
// SSH is a setting, not a code change. Pure function, unit-tested without an engine.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import type { Env } from "@/server/config/env";

type DockerSettings = Pick<Env, "DOCKER_HOST" | "DOCKER_TLS_VERIFY" | "DOCKER_CERT_PATH" | "HEARTH_DOCKER_SSH_KEY">;
type ReadFile = (path: string) => Buffer;

export const DEFAULT_SOCKET = "/var/run/docker.sock";

export function dockerOptions(settings: DockerSettings, readFile: ReadFile = readFileSync): Docker.DockerOptions {
  const host = settings.DOCKER_HOST;
  if (!host) return { socketPath: DEFAULT_SOCKET };
  const url = new URL(host);
  switch (url.protocol) {
    case "unix:":
      return { socketPath: url.pathname || DEFAULT_SOCKET };
    case "tcp:": {
      const tls = settings.DOCKER_TLS_VERIFY || url.port === "2376";
      const options: Docker.DockerOptions = {
        host: url.hostname,
        port: Number(url.port || (tls ? 2376 : 2375)),
        protocol: tls ? "https" : "http",
      };
      if (tls) {
        const dir = settings.DOCKER_CERT_PATH;
        if (!dir) throw new Error("DOCKER_TLS_VERIFY=1 needs DOCKER_CERT_PATH (a folder with ca.pem, cert.pem, key.pem)");
        options.ca = readFile(join(dir, "ca.pem"));
        options.cert = readFile(join(dir, "cert.pem"));
        options.key = readFile(join(dir, "key.pem"));
      }
      return options;
    }
    case "ssh:": {
      const privateKey = settings.HEARTH_DOCKER_SSH_KEY ? readFile(settings.HEARTH_DOCKER_SSH_KEY) : undefined;
      if (!privateKey && !process.env.SSH_AUTH_SOCK) {
        throw new Error("DOCKER_HOST is ssh://: set HEARTH_DOCKER_SSH_KEY to a private key file, or run an SSH agent");
      }
      return {
        protocol: "ssh",
        host: url.hostname,
        port: Number(url.port || 22),
        username: decodeURIComponent(url.username) || "root",
        sshOptions: privateKey ? { privateKey } : { agent: process.env.SSH_AUTH_SOCK },
      };
    }
    default:
      throw new Error(`DOCKER_HOST ${url.protocol}// is not supported (use unix://, tcp:// or ssh://)`);
  }
}

/** Whether ports the engine publishes are on this machine (a local socket engine). */
export function engineIsLocal(settings: Pick<Env, "DOCKER_HOST">): boolean {
  return !settings.DOCKER_HOST || settings.DOCKER_HOST.startsWith("unix://");
}
