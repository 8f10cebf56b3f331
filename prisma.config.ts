// Prisma CLI configuration. Offline, Prisma cannot download its native schema engine, so
// the CLI uses prisma/tools/schema-engine.mjs (the wasm engine behind the engine's own
// protocol) unless PRISMA_SCHEMA_ENGINE_BINARY is set or HEARTH_PRISMA_NATIVE=1 lets
// Prisma use its native engine where it can download it.
import path from "node:path";
import { defineConfig } from "prisma/config";

if (process.env.HEARTH_PRISMA_NATIVE !== "1") {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "prisma/tools/schema-engine.mjs");
}
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // Empty without DATABASE_URL: schema-to-schema diffs need no database.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
