import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: {
      "@/": fileURLToPath(new URL("./src/", import.meta.url)),
      // Server-only modules are imported directly by tests, which run on the server.
      "server-only": fileURLToPath(new URL("./src/server/testing/empty.ts", import.meta.url)),
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["src/server/testing/global-setup.ts"],
    // Tests share one database; files run one after another so seeds do not collide.
    fileParallelism: false,
    testTimeout: 30_000,
    // Fixed values the account tests rely on; a real run gets them from the environment.
    env: {
      NEXTAUTH_SECRET: "vitest-only-secret-0123456789abcdefghijklmnop",
      NEXTAUTH_URL: "http://hearth.test",
      HEARTH_ADMIN_EMAILS: "ops@admins.hearth.test",
      // As src/cli/web-server.mjs sets it: tests send x-hearth-client-address themselves.
      HEARTH_CLIENT_ADDRESS_HEADER: "1",
      // Seals the second factor's secrets in tests (a real run generates or is given one).
      HEARTH_SECRET_KEY: "dml0ZXN0LW9ubHkta2V5LTAxMjM0NTY3ODlhYmNkZWY=",
    },
    hookTimeout: 60_000,
  },
});
