// End-to-end tests run by `npm test` against the production build it starts; BASE_URL
// points at it. Chromium is Debian's (/usr/bin/chromium): nothing is downloaded.
// Two passes (E2E_PASS): "panel" runs every spec but *.ingress.spec.ts against an app with the
// ingress off; "ingress" runs only those, against a second app with the ingress on.
import { defineConfig } from "@playwright/test";

const baseURL = process.env.BASE_URL;
if (!baseURL) throw new Error("BASE_URL is not set: run the e2e tests through `npm test` (or `npm test -- e2e`).");

export default defineConfig({
  testDir: ".",
  ...(process.env.E2E_PASS === "ingress"
    ? { testMatch: "**/*.ingress.spec.ts" }
    : { testMatch: "**/*.spec.ts", testIgnore: "**/*.ingress.spec.ts" }),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // Generous: on a loaded 2-core machine a sign-up (argon2) or a server action can take seconds.
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json"]],
  outputDir: "../test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
