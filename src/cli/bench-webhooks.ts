// `npm run bench:webhooks`: Hearth's Stripe webhook endpoint against the minimal baseline
// handler (verify with the Stripe SDK, ON CONFLICT DO NOTHING, one ledger row in a
// transaction), side by side over HTTP in the same run, on the same PostgreSQL and the same
// signed events; then how long Hearth's worker takes from receipt to processed.
// A fresh database (embedded PostgreSQL unless TEST_DATABASE_SERVER_URL is set) and the Stripe
// emulator (its own process, as Stripe is another machine) are seeded through Hearth's own
// contribution flow: checkouts, paid and failed renewals, retries, refunds, cancellations.
// Their events (every type Stripe sends, handled or not) are delivered, freshly signed, with
// duplicates and bursts of the same event, several at a time as Stripe does, to each endpoint
// in its own process (src/cli/bench-webhook-server.ts). While Hearth's endpoint is measured
// the worker's Stripe event loop runs in its own process too, re-reading every object from the
// emulator as in production; afterwards every event's receipt-to-processed time is read back.
// Each round also prints the CPU each process used per delivery (the endpoint, PostgreSQL and
// how much of it went to the endpoint's and to the worker's connections, the worker and its
// event thread, the emulator): on a machine of two cores they share, that explains the rates.
// A run's rate swings with what else the machine does (on a 2-core VM one round's ratio
// ranged from 0.52x to 1.01x with no change in the code, and the same delivery's CPU by up
// to a quarter), so the two are measured in rounds (each on a fresh copy of the seeded
// database, which goes first alternating) and the median ratio is the figure; every round is
// printed.
// Options: --people N (default 150), --rounds N (default 5), --concurrency N (default 8),
// --event-niceness N (the worker's Stripe event thread; default HEARTH_STRIPE_EVENT_NICENESS,
// else 10, as deployed), --profile DIR (the endpoints and the worker write V8 CPU profiles under
// DIR/<name>-<round>/, node --cpu-prof, to open in Chrome's DevTools).
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import Stripe from "stripe";
import { startChild, stopChildren, waitForHttp } from "./processes";
import { cloneTestDatabase, createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const SECRET = "whsec_bench_webhooks_0123456789";
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const PEOPLE = arg("people", 150);
const ROUNDS = Math.max(1, arg("rounds", 5));
const CONCURRENCY = arg("concurrency", 8);
const COMMUNITIES = Math.max(1, Math.round(PEOPLE / 15));
const profileIndex = process.argv.indexOf("--profile");
const PROFILE_DIR = profileIndex > 0 ? process.argv[profileIndex + 1] : undefined;
// The Stripe event thread's niceness (src/server/worker/priority.ts).
const EVENT_NICENESS = arg("event-niceness", Number(process.env.HEARTH_STRIPE_EVENT_NICENESS ?? 10));

// A repeatable shuffle, so runs compare.
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

type RawEvent = { id: string; type: string };

const statFields = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

/** CPU seconds the threads of a process named `comm` (in /proc/<pid>/task/<tid>/comm) have used so far. */
function threadCpuSeconds(pid: number, comm: string): number {
  let seconds = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      if (readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim() !== comm) continue;
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      seconds += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // ended meanwhile
    }
  }
  return seconds;
}

/**
 * CPU seconds the PostgreSQL server has used so far: the postmaster, its children that ended
 * (cutime, cstime) and those still running. It only grows, as backends come and go.
 */
function serverCpuSeconds(postmaster: number): number {
  const fields = statFields(postmaster);
  let ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const child = statFields(Number(entry));
      if (Number(child[1]) === postmaster) ticks += Number(child[11]) + Number(child[12]);
    } catch {
      // ended meanwhile: counted in the postmaster's cutime
    }
  }
  return ticks / 100;
}

/** CPU used per process while a round runs, in ms per delivery. */
type CpuShares = Record<string, number>;

/** A child process that prints `marker` when ready; returns it and the rest of that line. */
function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, marker: string, nodeFlags: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "--conditions=react-server", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => l.includes(marker));
      if (line) resolve({ child, line: line.slice(line.indexOf(marker) + marker.length).trim() });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      // Errors of the endpoint or the worker are worth seeing; info lines are not.
      for (const l of chunk.toString().split("\n")) if (l.includes('"level":"error"')) process.stderr.write(`[${name}] ${l}\n`);
    });
    child.on("exit", (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`)));
  });
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

type Round = { rate: number; seconds: number; outcomes: Map<string, number>; cpu: CpuShares };

/** Delivers every body, freshly signed, `concurrency` at a time, to an endpoint in its own process. */
type Meter = () => number | Promise<number>;
const readMeters = async (meters: Record<string, Meter>) => Object.fromEntries(await Promise.all(Object.entries(meters).map(async ([name, meter]) => [name, await meter()] as const)));

async function deliverAll(url: string, meters: Record<string, Meter>, bodies: string[], concurrency: number): Promise<Round> {
  // Signing is Stripe's work, done on its machines: before the clock starts.
  const signed = bodies.map((body) => ({ body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }) }));
  const outcomes = new Map<string, number>();
  let next = 0;
  const cpuBefore = await readMeters(meters);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < signed.length) {
        const { body, signature } = signed[next++]!;
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });
        const outcome = response.status === 200 ? ((await response.json()) as { outcome: string }).outcome : `HTTP ${response.status}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await readMeters(meters);
  const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([name, seconds]) => [name, ((seconds - cpuBefore[name]!) * 1000) / bodies.length]));
  return { rate: bodies.length / seconds, seconds, outcomes, cpu };
}

async function main() {
  const port = await freePort();
  const emulatorUrl = `http://127.0.0.1:${port}`;
  const emulatorProcess = startChild("stripe", process.execPath, ["--import", "tsx", "src/stripe-emulator/main.ts"], {
    ...process.env,
    STRIPE_EMULATOR_PORT: String(port),
    STRIPE_WEBHOOK_SECRET: SECRET,
  });
  if (!(await waitForHttp(`${emulatorUrl}/_emulator/health`, 30_000, () => emulatorProcess.process.exitCode === null))) {
    throw new Error("the Stripe emulator did not start");
  }
  const control = async (path: string, params: Record<string, string> = {}) => {
    const response = await fetch(`${emulatorUrl}/_emulator${path}`, { method: "POST", body: new URLSearchParams(params) });
    if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  // Every stored event, raw as the emulator would send it, oldest first.
  const allEvents = async () => {
    const events: RawEvent[] = [];
    for (let after = ""; ; ) {
      const response = await fetch(`${emulatorUrl}/v1/events?limit=100${after ? `&starting_after=${after}` : ""}`, {
        headers: { authorization: "Bearer sk_test_bench" },
      });
      const page = (await response.json()) as { data: RawEvent[]; has_more: boolean };
      events.push(...page.data);
      if (!page.has_more) return events.reverse();
      after = page.data.at(-1)!.id;
    }
  };

  const server = await startTestServer();
  const databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench");
  process.env.DATABASE_URL = databaseUrl;
  // Imported after the environment is set: env() is read once.
  const { db } = await import("@/server/db/client");
  const { createStripeClient, overrideStripeClient } = await import("@/server/billing/stripe");
  const stripe = createStripeClient({ STRIPE_SECRET_KEY: undefined, STRIPE_EMULATOR_URL: emulatorUrl });
  overrideStripeClient(stripe);
  const { makeFundableCommunity, makePerson, sessionIdOf } = await import("@/server/funding/testing/fixtures");
  const { startContribution } = await import("@/server/funding/start-contribution");
  const rand = random(42);
  try {
    // ---- seed, through Hearth's flow, with webhook delivery off ----
    const seedStart = performance.now();
    const communities = [];
    for (let i = 0; i < COMMUNITIES; i++) communities.push(await makeFundableCommunity({ monthlyCost: 3000 + 500 * (i % 4) }));
    const subscriptions: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const person = await makePerson(`Bench ${i}`);
      const community = communities[i % communities.length]!;
      const { url } = await startContribution(person, {
        community: community.slug,
        amount: String([3, 5, 10, 20][i % 4]),
        visibility: i % 3 === 0 ? "anonymous" : "public",
        publicName: `Bench ${i}`,
      });
      const paid = await control(`/checkout/${sessionIdOf(url)}/pay`);
      subscriptions.push(String((paid.session as { subscription: string }).subscription));
    }
    for (const [i, id] of subscriptions.entries()) {
      if (i % 10 === 9) {
        await stripe.subscriptions.cancel(id);
        continue;
      }
      if (i % 10 === 8) await stripe.subscriptions.update(id, { cancel_at_period_end: true });
      const failed = i % 7 === 0;
      const advanced = await control(`/subscriptions/${id}/advance`, { outcome: failed ? "failed" : "paid" });
      const invoice = advanced.invoice as { id: string } | null;
      if (failed && invoice && i % 2 === 0) await control(`/invoices/${invoice.id}/pay`, { outcome: "paid" });
      if (i % 11 === 0) {
        const latest = await stripe.invoices.list({ subscription: id, status: "paid", limit: 1, expand: ["data.payments"] });
        const intent = latest.data[0]?.payments?.data[0]?.payment.payment_intent;
        if (intent) await stripe.refunds.create({ payment_intent: typeof intent === "string" ? intent : intent.id, amount: 100 });
      }
    }
    const events = await allEvents();
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`seeded in ${seedSeconds.toFixed(1)} s`);

    // ---- the workload: every event, in rough time order but interleaved across people and
    // out of order within a window (seeding made one person's events back to back; a busy
    // endpoint gets many people's at once, in no guaranteed order); 15% delivered again up
    // to 50 deliveries later (a retry), 2% ten times at once (a burst) ----
    const WINDOW = 200;
    const planned: { at: number; body: string }[] = [];
    events.forEach((event, i) => {
      const body = JSON.stringify(event, null, 2);
      const at = i + rand() * WINDOW;
      planned.push({ at, body });
      if (rand() < 0.15) planned.push({ at: at + 1 + rand() * 50, body });
      if (rand() < 0.02) for (let k = 0; k < 9; k++) planned.push({ at, body });
    });
    const deliveries = planned.sort((a, b) => a.at - b.at).map((d) => d.body);
    const types = new Map<string, number>();
    for (const event of events) types.set(event.type, (types.get(event.type) ?? 0) + 1);

    const pg = (await import("pg")).default;
    // Seeding is done: each round runs on a fresh copy of the seeded database (a template copy
    // needs the template free of connections).
    await db.$disconnect();
    const childEnvFor = (url: string): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: "production" as const,
      HEARTH_PAYMENTS: "emulator",
      DATABASE_URL: url,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_SECRET_KEY: "",
      STRIPE_EMULATOR_URL: emulatorUrl,
    });
    const templateName = new URL(databaseUrl).pathname.slice(1);
    const profile = (name: string) => (PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}/${name}`] : []);
    const paidInvoices = (await stripe.invoices.list({ status: "paid", limit: 100 }).autoPagingToArray({ limit: 10_000 })).length;
    const refunds = (await stripe.refunds.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).length;

    type Latency = { n: number; p50: number; p95: number; max: number; drainSeconds: number };
    type Result = { baseline: Round; hearth: Round; latency: Latency; check: string; correct: boolean };

    /** One round on its own copy: the baseline alone, then Hearth's endpoint with the worker beside it (or the other way round). */
    async function round(index: number, hearthFirst: boolean): Promise<Result> {
      const url = await cloneTestDatabase(server.serverUrl, templateName, `hearth_bench_round${index}`);
      const childEnv = childEnvFor(url);
      const sql = new pg.Pool({ connectionString: url, max: 2 });
      const children: ChildProcess[] = [];
      // Each process's connections are named, so PostgreSQL's CPU is told apart by whom it served.
      const named = (env: NodeJS.ProcessEnv, name: string) => ({ ...env, DATABASE_URL: `${url}?application_name=${name}` });
      const endpoint = async (mode: "hearth" | "baseline") => {
        const { child, line } = await startProcess(mode, ["src/cli/bench-webhook-server.ts", "--mode", mode], named(childEnv, `bench-${mode}`), "listening", profile(`${mode}-${index}`));
        children.push(child);
        return { child, url: `http://127.0.0.1:${line}/api/stripe/webhook` };
      };
      try {
        const cpuOf = (pid: number) => () => cpuSeconds(pid);
        const postmaster = Number(statFields((await sql.query("SELECT pg_backend_pid() AS pid")).rows[0].pid)[1]);
        const serverCpu = () => serverCpuSeconds(postmaster);
        // CPU seconds of the backends now serving one named client (a backend that ended is missed).
        const backendsOf = (name: string) => async () => {
          const { rows } = await sql.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [name]);
          return rows.reduce((sum, { pid }) => {
            try {
              return sum + cpuSeconds(pid);
            } catch {
              return sum; // ended meanwhile
            }
          }, 0);
        };

        const runBaseline = async () => {
          const baseline = await endpoint("baseline");
          const measured = await deliverAll(baseline.url, { endpoint: cpuOf(baseline.child.pid!), postgres: serverCpu, "(of which for the endpoint)": backendsOf("bench-baseline"), emulator: cpuOf(emulatorProcess.process.pid!) }, deliveries, CONCURRENCY);
          await stopProcess(baseline.child);
          const [rows] = (await sql.query("SELECT (SELECT count(*) FROM bench_baseline_event)::int AS events, (SELECT count(*) FROM bench_baseline_ledger)::int AS ledger")).rows;
          if (rows.events !== events.length || rows.ledger !== events.length) {
            throw new Error(`baseline recorded ${rows.events} events and ${rows.ledger} ledger rows for ${events.length} events`);
          }
          return measured;
        };

        const runHearth = async () => {
          const workerEnv = { ...named(childEnv, "bench-worker"), HEARTH_STRIPE_EVENT_NICENESS: String(EVENT_NICENESS) };
          const worker = await startProcess("worker", ["src/server/billing/testing/event-worker-child.ts"], workerEnv, "stripe event worker ready", profile(`worker-${index}`));
          children.push(worker.child);
          const hearth = await endpoint("hearth");
          const measured = await deliverAll(
            hearth.url,
            {
              endpoint: cpuOf(hearth.child.pid!),
              postgres: serverCpu,
              "(of which for the endpoint": backendsOf("bench-hearth"),
              "for the worker)": backendsOf("bench-worker"),
              worker: cpuOf(worker.child.pid!),
              "(of which its event thread)": () => threadCpuSeconds(worker.child.pid!, "stripe-events"),
              emulator: cpuOf(emulatorProcess.process.pid!),
            },
            deliveries,
            CONCURRENCY,
          );
          const deliveredAt = performance.now();
          const pending = async () => Number((await sql.query(`SELECT count(*) AS n FROM "StripeEvent" WHERE "processedAt" IS NULL AND "deadAt" IS NULL`)).rows[0].n);
          while ((await pending()) > 0) {
            if (performance.now() - deliveredAt > 300_000) throw new Error("the worker did not finish within 5 minutes of the last delivery");
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const drainSeconds = (performance.now() - deliveredAt) / 1000;
          await stopProcess(hearth.child);
          await stopProcess(worker.child);
          const [row] = (
            await sql.query(`
              SELECT count(*)::int AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "processedAt" - "receivedAt")) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "processedAt" - "receivedAt")) AS p95,
                max(extract(epoch FROM "processedAt" - "receivedAt")) AS max
              FROM "StripeEvent" WHERE "objectId" IS NOT NULL AND "processedAt" IS NOT NULL`)
          ).rows;
          return { measured, latency: { n: row.n, p50: Number(row.p50), p95: Number(row.p95), max: Number(row.max), drainSeconds } };
        };

        let baselineRound: Round;
        let hearthRun: Awaited<ReturnType<typeof runHearth>>;
        if (hearthFirst) {
          hearthRun = await runHearth();
          baselineRound = await runBaseline();
        } else {
          baselineRound = await runBaseline();
          hearthRun = await runHearth();
        }

        // ---- Hearth's result against Stripe ----
        const [counts] = (
          await sql.query(`SELECT
            (SELECT count(*) FROM "LedgerEntry" WHERE "kind" = 'PAYMENT')::int AS payments,
            (SELECT count(*) FROM "LedgerEntry" WHERE "kind" = 'REFUND')::int AS refunds,
            (SELECT count(*) FROM "StripeEvent")::int AS events,
            (SELECT count(*) FROM "StripeEvent" WHERE "deadAt" IS NOT NULL)::int AS dead`)
        ).rows;
        const states = (await sql.query(`SELECT "state"::text AS state, count(*)::int AS n FROM "CommunityFunding" GROUP BY 1 ORDER BY 1`)).rows as { state: string; n: number }[];
        const correct =
          counts.payments === paidInvoices && counts.refunds === refunds && counts.events === events.length && counts.dead === 0 && !hearthRun.measured.outcomes.has("HTTP 500");
        const check = `ledger: ${counts.payments} payments for ${paidInvoices} paid invoices, ${counts.refunds} refunds of ${refunds}; ${counts.events} event ids recorded; ${counts.dead} dead-lettered; funding states: ${states.map((r) => `${r.state} ${r.n}`).join(", ")}`;
        return { baseline: baselineRound, hearth: hearthRun.measured, latency: hearthRun.latency, check, correct };
      } finally {
        for (const child of children) await stopProcess(child);
        await sql.end();
        await dropTestDatabase(url).catch(() => {});
      }
    }

    const line = (name: string, r: Round) =>
      `${name}: ${deliveries.length} deliveries in ${r.seconds.toFixed(2)} s = ${r.rate.toFixed(0)} events/s; ${[...r.outcomes].map(([o, n]) => `${o} ${n}`).join(", ")}\n      CPU ms per delivery while it ran: ${Object.entries(r.cpu).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(", ")}`;
    console.log(`\nseeded ${PEOPLE} contributions to ${COMMUNITIES} communities through Hearth's flow in ${seedSeconds.toFixed(1)} s`);
    console.log(`events: ${events.length} unique of ${types.size} types; deliveries: ${deliveries.length} (${deliveries.length - events.length} duplicates), concurrency ${CONCURRENCY}, over HTTP`);
    console.log(`types: ${[...types].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(", ")}`);
    console.log(`${ROUNDS} rounds, each on a fresh copy of the seeded database, the order of the two alternating`);

    const results: Result[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const result = await round(i + 1, i % 2 === 1);
      results.push(result);
      const { baseline, hearth, latency } = result;
      console.log(`\nround ${i + 1} (${i % 2 === 1 ? "Hearth first" : "baseline first"})`);
      console.log(`  ${line("baseline", baseline)}`);
      console.log(`  ${line(`hearth (event thread at niceness ${EVENT_NICENESS})`, hearth)}`);
      console.log(`  ratio hearth/baseline: ${(hearth.rate / baseline.rate).toFixed(2)}x`);
      console.log(
        `  receipt to processed (${latency.n} events acted on, worker running during delivery): p50 ${latency.p50.toFixed(2)} s, p95 ${latency.p95.toFixed(2)} s, max ${latency.max.toFixed(2)} s; backlog cleared ${latency.drainSeconds.toFixed(1)} s after the last delivery`,
      );
      console.log(`  ${result.check}${result.correct ? "" : "  -- RESULT MISMATCH"}`);
      if (!result.correct) process.exitCode = 1;
    }
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    };
    const ratios = results.map((r) => r.hearth.rate / r.baseline.rate);
    console.log(`\nratio hearth/baseline, median of ${ROUNDS}: ${median(ratios).toFixed(2)}x (rounds: ${ratios.map((r) => r.toFixed(2)).join(", ")}; target 0.70x or better)`);
    console.log(
      `receipt to processed p95, median of ${ROUNDS}: ${median(results.map((r) => r.latency.p95)).toFixed(2)} s (worst round ${Math.max(...results.map((r) => r.latency.p95)).toFixed(2)} s; target within 5 s)`,
    );
  } finally {
    await stopChildren([emulatorProcess]);
    await db.$disconnect();
    await dropTestDatabase(databaseUrl).catch(() => {});
    await server.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
