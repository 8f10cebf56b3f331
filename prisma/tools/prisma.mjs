#!/usr/bin/env node
// Runs the Prisma CLI with the schema engine this machine can use. Prisma would download
// its native engine on first use; offline it cannot, so unless PRISMA_SCHEMA_ENGINE_BINARY
// is already set (or HEARTH_PRISMA_NATIVE=1 lets Prisma fetch its own), the CLI gets our
// engine executable built on @prisma/schema-engine-wasm.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && env.HEARTH_PRISMA_NATIVE !== "1") {
  env.PRISMA_SCHEMA_ENGINE_BINARY = join(here, "schema-engine.mjs");
}
const cli = join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { env, stdio: "inherit" });
process.exit(result.status ?? 1);
