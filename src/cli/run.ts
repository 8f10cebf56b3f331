// `npm start`: runs Hearth. Without DATABASE_URL it starts an embedded PostgreSQL under
// HEARTH_DATA_DIR (.hearth/), creates the database and applies migrations; then it starts
// the web app and the worker, and stops all of it cleanly on Ctrl-C.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { ConfigError, parseEnv, paymentsMode } from "@/server/config/env";
import { defaultPlans } from "@/server/plans/default-plans";
import { localIngressEnv } from "./local-ingress";
import { localInstancesEnv, standInConflict } from "./local-instances";
import { buildOutdated } from "./build-state";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from "./embedded-postgres";
import { loadLocalSecrets } from "./local-secrets";
import { migrationsToApply } from "./migrations-state";
import { freePort, portFree, startChild, stopChildren, stopLeftovers, waitForHttp, writePidFile, type Child } from "./processes";
import { startStripeEmulatorChild } from "./stripe-emulator-child";
import { mailFrom, mailTransportConfig } from "@/server/mail/mail-config";

const startedAt = performance.now();

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

/**
 * What start-up must do to the database, found with one connection and no Prisma engine:
 * migrations to apply (see migrations-state.ts), and whether a default plan is missing.
 */
async function databaseWork(url: string): Promise<{ migrate: string | null; seed: boolean }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const migrate = await migrationsToApply(client);
    if (migrate) return { migrate, seed: true };
    const slugs = defaultPlans.map((plan) => plan.slug);
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Plan" WHERE "slug" = ANY($1)`, [slugs]);
    return { migrate: null, seed: rows[0]!.n < slugs.length };
  } finally {
    await client.end();
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
  const conflict = standInConflict(config, process.env);
  if (conflict) fail(conflict);
  warnSameSite(config.NEXTAUTH_URL, config.HEARTH_BASE_DOMAIN);
  const dataDir = resolve(config.HEARTH_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, "run.pids");
  stopLeftovers(pidFile);

  if (!(await portFree(config.PORT, config.HOSTNAME))) {
    fail(`port ${config.PORT} on ${config.HOSTNAME} is already in use: stop what uses it, or set PORT to another port.`);
  }

  // Which images new instances get (the test bed's stand-ins where the real ones cannot be had),
  // found while the database starts: making the stand-ins the first time takes a while.
  const instances = localInstancesEnv(config, process.env, { say });

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
    // Decided here, under this command's NODE_ENV: the web app runs as production and needs it said.
    HEARTH_PAYMENTS: paymentsMode(config),
    ...(await localIngressEnv(config, process.env, say, databaseUrl)),
    ...(await instances).env,
  };

  const stopAll = async (children: Child[]) => {
    await stopChildren(children);
    await embedded?.stop();
    writePidFile(pidFile, []);
  };

  const work = await databaseWork(databaseUrl).catch(async (error: Error) => {
    await stopAll([]);
    return fail(`cannot read the database's state: ${error.message}`);
  });
  if (work.migrate) {
    say(`applying database migrations (${work.migrate})`);
    const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
      env: childEnv,
      encoding: "utf8",
    });
    if (migrate.status !== 0) {
      process.stderr.write(migrate.stdout + migrate.stderr);
      await stopAll([]);
      fail("database migrations failed (output above).");
    }
  } else {
    say("database migrations: all applied");
  }
  if (work.seed) {
    const seed = spawnSync(process.execPath, ["--import", "tsx", "src/cli/seed.ts"], { env: childEnv, stdio: "inherit" });
    if (seed.status !== 0) {
      await stopAll([]);
      fail("seeding the default plans failed (output above).");
    }
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
  let startEmulator: (() => Promise<void>) | undefined;
  if (!config.STRIPE_SECRET_KEY && !config.STRIPE_EMULATOR_URL) {
    const webhookSecret = config.STRIPE_WEBHOOK_SECRET ?? local.STRIPE_WEBHOOK_SECRET;
    const port = config.STRIPE_EMULATOR_PORT ?? (await freePort());
    // Its address is known now, so the web app can be given it before the emulator runs.
    childEnv.STRIPE_EMULATOR_URL = `http://127.0.0.1:${port}`;
    childEnv.STRIPE_WEBHOOK_SECRET = webhookSecret;
    startEmulator = async () => {
      // Watched from its spawn: a Ctrl-C while it starts stops it too.
      const stripe = await startStripeEmulatorChild({ dataDir, appUrl: address, webhookSecret, port, env: childEnv, onSpawn: watch });
      say(`no STRIPE_SECRET_KEY: using the local Stripe emulator at ${stripe.url} (demos and tests only; no money moves)`);
    };
  }

  const mail = mailTransportConfig(config);
  if (mail.mode === "smtp") say(`mail goes out through ${mail.relay} as ${mailFrom(config)}`);
  else {
    say("no SMTP_URL or SMTP_HOST: mail is NOT being sent. It is kept in Hearth, where host admins read it under");
    say("  Admin > Mail (/admin/mail). Links that confirm an email address are printed here by the worker, so the");
    say("  first account (which needs a confirmed address for admin rights) can be confirmed by whoever runs Hearth.");
  }

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
  const watch = (child: Child) => {
    children.push(child);
    writePidFile(pidFile, children.map((c) => c.process.pid ?? 0));
    void child.exited.then((code) => {
      if (!stopping) {
        console.error(`hearth: the ${child.name} process exited (code ${code}); stopping everything.`);
        void shutdown(1);
      }
    });
  };

  // The web app first and alone: on a small machine the worker's and the emulator's start-up
  // would take CPU from it. They start as soon as it answers (the worker resumes whatever is due).
  // Next.js runs behind our own HTTP server, which alone can see the socket's address (web-server.mjs).
  const webEnv: NodeJS.ProcessEnv = { ...childEnv, PORT: String(config.PORT), HOSTNAME: config.HOSTNAME, NODE_ENV: dev ? "development" : "production" };
  watch(startChild("web", process.execPath, ["src/cli/web-server.mjs", ...(dev ? ["--dev"] : [])], webEnv));
  const up = await waitForHttp(`${address}/api/health`, 120_000, () => !stopping, 50);
  // A Ctrl-C while the last health request was on its way has already stopped the children it
  // knew of: the worker and the emulator must not start after it (they outlived the run).
  if (!up || stopping) {
    if (!stopping) {
      console.error("hearth: the web app did not answer within 120 s.");
      await shutdown(1);
    }
    return;
  }
  say(`Hearth is running at ${publicAddress}  (Ctrl-C to stop; started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
  if (publicAddress.replace(/\/+$/, "") !== address) say(`(listening on ${address}; sign-in and links use ${publicAddress}, set by NEXTAUTH_URL)`);
  watch(startChild("worker", process.execPath, ["--import", "tsx", "--conditions=react-server", "src/worker/main.ts"], childEnv));
  if (startEmulator) {
    try {
      await startEmulator();
    } catch (error) {
      console.error(`hearth: ${(error as Error).message}`);
      await shutdown(1);
    }
  }
}

void main();
