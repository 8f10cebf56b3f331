// `npm test`: unit and integration tests (vitest) on a fresh database, then end-to-end
// tests (Playwright in Debian's Chromium) against the production build served by the run
// command on another fresh database. Ends with one line: "N passed, N failed".
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildOutdated } from "./build-state";
import { createTestDatabase, startTestServer } from "./test-database";
import { freePort, waitForHttp } from "./processes";
import { prepareE2eDocker } from "./e2e-docker";
import { startSmtpCatcher } from "@/server/mail/testing/smtp-catcher";

type Counts = { passed: number; failed: number; skipped: number };
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv[2]; // "unit" | "e2e" | undefined (both)
// `npm test -- e2e admin`: only the spec files matching "admin".
const e2eFilters = only === "e2e" ? process.argv.slice(3) : [];
const reports = mkdtempSync(join(tmpdir(), "hearth-test-report-"));

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

function runUnit(databaseUrl: string): Counts {
  const out = join(reports, "vitest.json");
  const result = spawnSync(
    "node_modules/.bin/vitest",
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { stdio: "inherit", env: { ...process.env, DATABASE_URL: databaseUrl, HEARTH_TEST_DATABASE_READY: "1" } },
  );
  const report = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number }>(out);
  if (!report) return { passed: 0, failed: 1, skipped: 0 }; // the runner itself broke
  const failed = report.numFailedTests + (result.status !== 0 && report.numFailedTests === 0 ? 1 : 0);
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests };
}

/** Integration tests of the run command and the e2e tests both serve the production build. */
function ensureBuild(): boolean {
  const outdated = buildOutdated();
  if (!outdated) return true;
  console.log(`${outdated}: running next build`);
  return spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit" }).status === 0;
}

async function runE2e(databaseUrl: string): Promise<Counts> {
  const dockerSetup = await prepareE2eDocker();
  // A real SMTP server for the app's mail; each message it accepts is written to a folder the
  // Playwright tests read (they run in another process).
  const mailDir = mkdtempSync(join(tmpdir(), "hearth-e2e-mail-"));
  const smtp = await startSmtpCatcher({ dir: mailDir });
  try {
    const mailEnv = { SMTP_URL: smtp.url, SMTP_TLS: "none", HEARTH_MAIL_INTERVAL_SECONDS: "0.5", HEARTH_MAIL_FROM: "Hearth <hearth@e2e.test>" };
    return await runE2eApp(databaseUrl, { ...dockerSetup.env, ...mailEnv }, { E2E_MAIL_DIR: mailDir });
  } finally {
    await smtp.close();
    await dockerSetup.cleanUp(databaseUrl);
  }
}

async function runE2eApp(databaseUrl: string, dockerEnv: Record<string, string>, testEnv: Record<string, string>): Promise<Counts> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_URL: baseUrl,
      HEARTH_DATA_DIR: mkdtempSync(join(tmpdir(), "hearth-e2e-data-")),
      WORKER_HEARTBEAT_SECONDS: "2",
      ...dockerEnv,
    },
  });
  try {
    const exited = new Promise((resolve) => app.once("exit", resolve));
    let running = true;
    void exited.then(() => (running = false));
    if (!(await waitForHttp(`${baseUrl}/api/health`, 180_000, () => running))) {
      console.error("hearth test: the app did not come up for the e2e tests");
      return { passed: 0, failed: 1, skipped: 0 };
    }
    const out = join(reports, "playwright.json");
    // Not spawnSync: this process serves the test SMTP server meanwhile.
    const playwright = spawn("node_modules/.bin/playwright", ["test", "--config", "e2e/playwright.config.ts", ...e2eFilters], {
      stdio: "inherit",
      env: { ...process.env, ...dockerEnv, ...testEnv, BASE_URL: baseUrl, DATABASE_URL: databaseUrl, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
    });
    await new Promise((resolve) => playwright.once("exit", resolve));
    const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(out);
    if (!report) return { passed: 0, failed: 1, skipped: 0 };
    const { expected, unexpected, flaky, skipped } = report.stats;
    return { passed: expected + flaky, failed: unexpected, skipped };
  } finally {
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((resolve) => app.once("exit", resolve));
    }
  }
}

async function main() {
  if (!ensureBuild()) {
    console.log("\n0 passed, 1 failed");
    process.exit(1);
  }
  const server = await startTestServer();
  try {
    const add = (counts: Counts) => {
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
    };
    if (only !== "e2e") add(runUnit(await createTestDatabase(server.serverUrl, "hearth_unit")));
    if (only !== "unit") add(await runE2e(await createTestDatabase(server.serverUrl, "hearth_e2e")));
  } finally {
    await server.stop();
  }
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`\n${total.passed} passed, ${total.failed + 1} failed`);
  process.exit(1);
});
