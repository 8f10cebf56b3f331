// One dockerode client per process. DOCKER_HOST selects the engine the same way the
// docker CLI does (unix://, tcp:// with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, ssh://),
// so a remote host is a setting, not a code change (see connection.ts).
import "server-only";
import Docker from "dockerode";
import { env } from "@/server/config/env";
import { dockerOptions } from "./connection";

let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker(dockerOptions(env()));
  return client;
}

export type EngineStatus = { ok: true; version: string } | { ok: false; error: string };

/** Pings the engine with a short deadline; never throws. */
export async function engineStatus(timeoutMs = 2_000): Promise<EngineStatus> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const version = await Promise.race([docker().version(), deadline]);
    return { ok: true, version: version.Version };
  } catch (error) {
    return { ok: false, error: describeDockerError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function describeDockerError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "Docker socket not found (is dockerd running? set DOCKER_HOST for a remote engine)";
  if (code === "EACCES") return "permission denied on the Docker socket";
  if (code === "ECONNREFUSED") return "Docker engine refused the connection";
  return error instanceof Error ? error.message : "unknown error";
}
