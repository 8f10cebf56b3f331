// `npm start`: runs Hearth. Without DATABASE_URL it starts an embedded PostgreSQL under
// HEARTH_DATA_DIR (.hearth/), creates the database and applies migrations; then it starts
// the web app and the worker, and stops all of it cleanly on Ctrl-C.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { ConfigError, parseEnv } from "@/server/config/env";
import { localIngressEnv } from "./local-ingress";
import { buildOutdated } from "./build-state";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from "./embedded-postgres";
import { loadLocalSecrets } from "./local-secrets";
import { portFree, startChild, stopChildren, stopLeftovers, waitForHttp, writePidFile, type Child } from "./processes";
import { startStripeEmulatorChild } from "./stripe-emulator-child";
import { mailFrom, mailTransportConfig } from "@/server/mail/mail-config";

const dev = process.argv.includes("--dev");
const say = (message: string) => console.log(`hearth: ${message}`);
const fail = (message: string): never => {
  console.error(`hearth: ${message}`);
  process.exit(1);
};

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  }
}

function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/**
 * Instances under the panel's own domain are "same-site" to browsers: the session cookie is
 * host-only and they never get it, but SameSite does not separate them from the panel.
 */
function warnSameSite(panelUrl: string | undefined, baseDomain: string) {
  if (!panelUrl) return;
  const host = new URL(panelUrl).hostname;
  if (host === "localhost" || /^[\d.]+$|:/.test(host)) return; // development on this machine
  const parent = (name: string) => name.split(".").slice(-2).join(".");
  if (host === baseDomain || host.endsWith(`.${baseDomain}`) || baseDomain.endsWith(`.${host}`) || parent(host) === parent(baseDomain)) {
    say(`warning: the panel (${host}) and the instances (*.${baseDomain}) share a domain; serve instances on another registrable domain (README: Deploying securely).`);
  }
}

async function main() {
  let config;
  try {
    config = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  warnSameSite(config.NEXTAUTH_URL, config.HEARTH_BASE_DOMAIN);
  const dataDir = resolve(config.HEARTH_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, "run.pids");
  stopLeftovers(pidFile);

  if (!(await portFree(config.PORT, config.HOSTNAME))) {
    fail(`port ${config.PORT} on ${config.HOSTNAME} is already in use: stop what uses it, or set PORT to another port.`);
  }

  const local = loadLocalSecrets(dataDir);
  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.HEARTH_DB_PORT ?? 54329);
    say(`no DATABASE_URL: starting the embedded PostgreSQL (data in ${dataDir}, port ${port})`);
    embedded = await startEmbeddedPostgres({ dataDir, port, password: local.DB_PASSWORD }).catch((e: Error) =>
      fail(e.message),
    );
    await ensureDatabase(embedded.serverUrl, "hearth");
    databaseUrl = embedded.urlFor("hearth");
  } else {
    const problem = await reachable(databaseUrl);
    if (problem) fail(`cannot reach the database at ${describeUrl(databaseUrl)} (${problem}). Check DATABASE_URL.`);
  }

  const address = `http://${config.HOSTNAME === "0.0.0.0" ? "localhost" : config.HOSTNAME}:${config.PORT}`;
  const publicAddress = process.env.NEXTAUTH_URL || address;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || local.NEXTAUTH_SECRET,
    HEARTH_SECRET_KEY: process.env.HEARTH_SECRET_KEY || local.HEARTH_SECRET_KEY,
    // Sign-in, emails and Stripe's return addresses all use this one address; pages asked for
    // on another name of the panel are redirected to it (src/proxy.ts).
    NEXTAUTH_URL: publicAddress,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(await localIngressEnv(config, process.env, say)),
  };

  const stopAll = async (children: Child[]) => {
    await stopChildren(children);
    await embedded?.stop();
    writePidFile(pidFile, []);
  };

  say("applying database migrations");
  const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: childEnv,
    encoding: "utf8",
  });
  if (migrate.status !== 0) {
    process.stderr.write(migrate.stdout + migrate.stderr);
    await stopAll([]);
    fail("database migrations failed (output above).");
  }
  const seed = spawnSync(process.execPath, ["--import", "tsx", "src/cli/seed.ts"], { env: childEnv, stdio: "inherit" });
  if (seed.status !== 0) {
    await stopAll([]);
    fail("seeding the default plans failed (output above).");
  }

  const outdated = dev ? null : buildOutdated();
  if (outdated) {
    say(`${outdated}: running \`next build\``);
    const build = spawnSync("npx", ["next", "build"], { env: childEnv, stdio: "inherit" });
    if (build.status !== 0) {
      await stopAll([]);
      fail("the build failed (output above).");
    }
  }

  const children: Child[] = [];
  if (!config.STRIPE_SECRET_KEY && !config.STRIPE_EMULATOR_URL) {
    const webhookSecret = config.STRIPE_WEBHOOK_SECRET ?? local.STRIPE_WEBHOOK_SECRET;
    const stripe = await startStripeEmulatorChild({
      dataDir,
      appUrl: address,
      webhookSecret,
      port: config.STRIPE_EMULATOR_PORT,
      env: childEnv,
    }).catch(async (e: Error) => {
      await stopAll([]);
      return fail(e.message);
    });
    say(`no STRIPE_SECRET_KEY: using the local Stripe emulator at ${stripe.url} (demos and tests only; no money moves)`);
    children.push(stripe.child);
    childEnv.STRIPE_EMULATOR_URL = stripe.url;
    childEnv.STRIPE_WEBHOOK_SECRET = webhookSecret;
  }

  const mail = mailTransportConfig(config);
  if (mail.mode === "smtp") say(`mail goes out through ${mail.relay} as ${mailFrom(config)}`);
  else {
    say("no SMTP_URL or SMTP_HOST: mail is NOT being sent. It is kept in Hearth, where host admins read it under");
    say("  Admin > Mail (/admin/mail). Links that confirm an email address are printed here by the worker, so the");
    say("  first account (which needs a confirmed address for admin rights) can be confirmed by whoever runs Hearth.");
  }

  // Next.js behind our own HTTP server, which alone can see the socket's address (web-server.mjs).
  const webEnv: NodeJS.ProcessEnv = { ...childEnv, PORT: String(config.PORT), HOSTNAME: config.HOSTNAME, NODE_ENV: dev ? "development" : "production" };
  children.push(
    startChild("web", process.execPath, ["src/cli/web-server.mjs", ...(dev ? ["--dev"] : [])], webEnv),
    startChild("worker", process.execPath, ["--import", "tsx", "--conditions=react-server", "src/worker/main.ts"], childEnv),
  );
  writePidFile(pidFile, children.map((c) => c.process.pid ?? 0));

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping");
    await stopAll(children);
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  for (const child of children) {
    void child.exited.then((code) => {
      if (!stopping) {
        console.error(`hearth: the ${child.name} process exited (code ${code}); stopping everything.`);
        void shutdown(1);
      }
    });
  }

  const up = await waitForHttp(`${address}/api/health`, 120_000, () => !stopping);
  if (up) {
    say(`Hearth is running at ${publicAddress}  (Ctrl-C to stop)`);
    if (publicAddress.replace(/\/+$/, "") !== address) say(`(listening on ${address}; sign-in and links use ${publicAddress}, set by NEXTAUTH_URL)`);
  }
  else if (!stopping) {
    console.error("hearth: the web app did not answer within 120 s.");
    await shutdown(1);
  }
}

void main();
