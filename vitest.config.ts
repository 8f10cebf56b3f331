import { configDefaults, defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

// Test layers (`npm test -- <layer>`; ARCHITECTURE.md, "Tests"):
// - unit: no database, no Docker; files in parallel. Named *.unit.test.ts (and the Stripe
//   emulator's own tests, which need nothing but the emulator).
// - db: a real PostgreSQL. One template database is migrated once per run; each test file gets
//   its own copy (CREATE DATABASE ... TEMPLATE), so files run in parallel. Every other *.test.ts.
// - docker: *.docker.test.ts, on the real engine (and their own database copies); one file at a
//   time, since they share the engine and its CPU.
const UNIT = ["src/**/*.unit.test.ts", "src/stripe-emulator/**/*.test.ts"];
const DOCKER = ["src/**/*.docker.test.ts"];
// Database tests mostly wait on PostgreSQL: more files at once than cores (vitest's default is
// one less than the cores, a single worker on a 2-core machine).
const PARALLEL = Math.max(3, availableParallelism() - 1);
const DATABASE = {
  globalSetup: ["src/cli/vitest/database-template.ts"],
  setupFiles: ["src/cli/vitest/database-per-file.ts"],
};

export default defineConfig({
  resolve: {
    alias: {
      "@/": fileURLToPath(new URL("./src/", import.meta.url)),
      // Server-only modules are imported directly by tests, which run on the server.
      "server-only": fileURLToPath(new URL("./src/server/testing/empty.ts", import.meta.url)),
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Fixed values the account tests rely on; a real run gets them from the environment.
    env: {
      NEXTAUTH_SECRET: "vitest-only-secret-0123456789abcdefghijklmnop",
      NEXTAUTH_URL: "http://hearth.test",
      HEARTH_ADMIN_EMAILS: "ops@admins.hearth.test",
      // As src/cli/web-server.mjs sets it: tests send x-hearth-client-address themselves.
      HEARTH_CLIENT_ADDRESS_HEADER: "1",
      // Seals the links in queued mail, second factors' secrets and tenant secrets; 32 bytes, for tests only.
      HEARTH_SECRET_KEY: "dml0ZXN0LW9ubHkta2V5LTAxMjM0NTY3ODlhYmNkZWY=",
    },
    projects: [
      // Unit files share their workers' module cache (isolate: false, in threads): importing the
      // module graph again for every file was most of the layer's time (20 s against 5-8 s on a
      // 2-core machine). A unit file therefore restores what it changes (timers, process.env).
      {
        extends: true,
        test: { name: "unit", include: UNIT, pool: "threads", isolate: false, maxWorkers: Math.max(2, availableParallelism() - 1) },
      },
      {
        extends: true,
        test: { name: "db", include: ["src/**/*.test.ts"], exclude: [...configDefaults.exclude, ...UNIT, ...DOCKER], maxWorkers: PARALLEL, ...DATABASE },
      },
      { extends: true, test: { name: "docker", include: DOCKER, fileParallelism: false, ...DATABASE } },
    ],
  },
});
