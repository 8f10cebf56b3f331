// `npm test [-- <layer> [filters]]`: the test layers in order, each timed, then one line
// "N passed, N failed, N skipped".
//   unit    vitest, no database, no Docker (what a developer runs on every save)
//   db      vitest on a real PostgreSQL: one migrated template, a copy per test file
//   docker  vitest *.docker.test.ts on the real Docker engine
//   e2e     Playwright in Debian's Chromium against the production build, served by the run
//           command on its own fresh database (a second app with the ingress on for the
//           *.ingress.spec.ts files)
// Without a layer, all four run. Filters go to vitest (file paths) or Playwright (spec names).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuild } from "./build-state";
import { createTestDatabase, startTestServer, type TestServer } from "./test-database";
import { freePort, waitForHttp } from "./processes";
import { prepareE2eDocker } from "./e2e-docker";
import { startSmtpCatcher } from "@/server/mail/testing/smtp-catcher";

type Counts = { passed: number; failed: number; skipped: number };
const LAYERS = ["unit", "db", "docker", "e2e"] as const;
type Layer = (typeof LAYERS)[number];

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const times: string[] = [];
const reports = mkdtempSync(join(tmpdir(), "hearth-test-report-"));

function parseArgs(args: string[]): { layers: Layer[]; filters: string[] } | string {
  const [first, ...rest] = args;
  if (first === undefined) return { layers: [...LAYERS], filters: [] };
  if (!(LAYERS as readonly string[]).includes(first)) return `unknown test layer "${first}": use one of ${LAYERS.join(", ")}`;
  return { layers: [first as Layer], filters: rest };
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

function runVitest(project: Exclude<Layer, "e2e">, filters: string[], env: Record<string, string>): Counts {
  const out = join(reports, `vitest-${project}.json`);
  const result = spawnSync(
    "node_modules/.bin/vitest",
    ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...filters],
    { stdio: "inherit", env: { ...process.env, ...env } },
  );
  const report = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(out);
  if (!report) return { passed: 0, failed: 1, skipped: 0 }; // the runner itself broke
  const failed = report.numFailedTests + (result.status !== 0 && report.numFailedTests === 0 ? 1 : 0);
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
}

// The e2e specs run in two passes: the panel's (every *.spec.ts, the ingress off, instances on
// published ports) and the ingress's (*.ingress.spec.ts, against a second app on its own database
// with the ingress on: Caddy's internal CA, https://<address>.hearth.localhost:<port>). Each
// pass's app starts only when the filters select one of its specs.
type Pass = "panel" | "ingress";

function selectedTests(pass: Pass, filters: string[]): number {
  const listed = spawnSync("node_modules/.bin/playwright", ["test", "--config", "e2e/playwright.config.ts", "--list", "--reporter=list", ...filters], {
    encoding: "utf8",
    env: { ...process.env, BASE_URL: "http://127.0.0.1:1", E2E_PASS: pass },
  });
  return Number(/Total: (\d+) tests?/.exec(listed.stdout ?? "")?.[1] ?? 0);
}

async function runE2e(serverUrl: string, filters: string[]): Promise<Counts> {
  const passes = (["panel", "ingress"] as const).filter((pass) => selectedTests(pass, filters) > 0);
  if (passes.length === 0) {
    console.error(`hearth test: no e2e test matches ${filters.join(" ") || "(no filter)"}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const dockerSetup = await prepareE2eDocker();
  // A real SMTP server for the app's mail; each message it accepts is written to a folder the
  // Playwright tests read (they run in another process).
  const mailDir = mkdtempSync(join(tmpdir(), "hearth-e2e-mail-"));
  const smtp = await startSmtpCatcher({ dir: mailDir });
  const databases: string[] = [];
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const mailEnv = { SMTP_URL: smtp.url, SMTP_TLS: "none", HEARTH_MAIL_INTERVAL_SECONDS: "0.5", HEARTH_MAIL_FROM: "Hearth <hearth@e2e.test>" };
    for (const pass of passes) {
      const databaseUrl = await createTestDatabase(serverUrl, pass === "panel" ? "hearth_e2e" : "hearth_e2e_ingress");
      databases.push(databaseUrl);
      const passEnv = pass === "ingress" ? await dockerSetup.ingressEnv() : {};
      const result = await runE2eApp(databaseUrl, { ...dockerSetup.env, ...mailEnv, ...passEnv }, { E2E_MAIL_DIR: mailDir, E2E_PASS: pass }, filters);
      counts.passed += result.passed;
      counts.failed += result.failed;
      counts.skipped += result.skipped;
    }
    return counts;
  } finally {
    await smtp.close();
    await dockerSetup.cleanUp(databases);
  }
}

async function runE2eApp(databaseUrl: string, dockerEnv: Record<string, string>, testEnv: Record<string, string>, filters: string[]): Promise<Counts> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-e2e-data-"));
  const app = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      // The e2e tests pay through the local Stripe emulator, which production must choose by name.
      HEARTH_PAYMENTS: "emulator",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_URL: baseUrl,
      HEARTH_DATA_DIR: dataDir,
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
    const out = join(reports, `playwright-${testEnv.E2E_PASS ?? "panel"}.json`);
    // Not spawnSync: this process serves the test SMTP server meanwhile.
    const playwright = spawn("node_modules/.bin/playwright", ["test", "--config", "e2e/playwright.config.ts", ...filters], {
      stdio: "inherit",
      env: {
        ...process.env,
        ...dockerEnv,
        ...testEnv,
        BASE_URL: baseUrl,
        DATABASE_URL: databaseUrl,
        // Where the ingress exports its internal CA's root (the ingress specs trust it in Chromium).
        E2E_INGRESS_ROOT: join(dataDir, "ingress-root.crt"),
        PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      },
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

function add(counts: Counts) {
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}

async function timed(layer: Layer, run: () => Counts | Promise<Counts>) {
  const started = performance.now();
  const counts = await run();
  add(counts);
  times.push(`${layer} ${((performance.now() - started) / 1000).toFixed(1)} s (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`);
}

async function main() {
  const parsed = parseArgs(process.argv.slice(2));
  if (typeof parsed === "string") {
    console.error(`hearth test: ${parsed}`);
    console.log("\n0 passed, 1 failed, 0 skipped");
    process.exit(1);
  }
  const { layers, filters } = parsed;
  // The run command's tests (db) and the e2e tests serve the production build.
  if ((layers.includes("db") || layers.includes("e2e")) && !ensureBuild()) {
    console.log("\n0 passed, 1 failed, 0 skipped");
    process.exit(1);
  }
  // One PostgreSQL for every layer that needs one; the unit layer starts none.
  let server: TestServer | undefined;
  try {
    for (const layer of layers) {
      if (layer === "unit") {
        await timed(layer, () => runVitest("unit", filters, {}));
        continue;
      }
      server ??= await startTestServer();
      const serverUrl = server.serverUrl;
      if (layer === "e2e") await timed(layer, () => runE2e(serverUrl, filters));
      else await timed(layer, () => runVitest(layer, filters, { TEST_DATABASE_SERVER_URL: serverUrl }));
    }
  } finally {
    await server?.stop();
  }
  console.log(`\n${times.map((line) => `  ${line}`).join("\n")}`);
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`\n${total.passed} passed, ${total.failed + 1} failed, ${total.skipped} skipped`);
  process.exit(1);
});
