// The root of Caddy's internal CA (the local default's certificates), copied out of the ingress
// container through the engine into HEARTH_DATA_DIR/ingress-root.crt: Hearth's reachability
// check trusts it, and a developer can add it to a browser (README).
import "server-only";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import type { Env } from "@/server/config/env";
import { execIn } from "@/server/provisioning/container-io";

const ROOT = "/data/caddy/pki/authorities/local/root.crt";

export const internalRootPath = (config: Pick<Env, "HEARTH_DATA_DIR">) => join(config.HEARTH_DATA_DIR, "ingress-root.crt");

export async function exportInternalRoot(docker: Docker, container: string, config: Pick<Env, "HEARTH_DATA_DIR">): Promise<string | null> {
  const result = await execIn(docker, container, ["cat", ROOT], 30);
  if (result.exitCode !== 0 || !result.stdout.includes("BEGIN CERTIFICATE")) return null;
  const path = internalRootPath(config);
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {
    // not exported yet
  }
  if (current !== result.stdout) {
    mkdirSync(config.HEARTH_DATA_DIR, { recursive: true });
    writeFileSync(path, result.stdout);
  }
  return result.stdout;
}

/** Extra roots Hearth trusts when it checks an instance's certificate. */
export function extraRoots(config: Pick<Env, "HEARTH_DATA_DIR" | "HEARTH_ACME_CA_ROOTS">, internal: boolean): string[] {
  const files = internal ? [internalRootPath(config)] : config.HEARTH_ACME_CA_ROOTS ? [config.HEARTH_ACME_CA_ROOTS] : [];
  return files.flatMap((file) => {
    try {
      return [readFileSync(file, "utf8")];
    } catch {
      return [];
    }
  });
}
