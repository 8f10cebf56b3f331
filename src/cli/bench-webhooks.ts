// `npm run bench:webhooks`: how many Stripe webhook events per second Hearth processes, with
// deduplication, on a realistic mix. A fresh database (embedded PostgreSQL unless
// TEST_DATABASE_SERVER_URL is set) and the Stripe emulator (its own process, as Stripe is
// another machine) are seeded through Hearth's own contribution flow: checkouts, paid and
// failed renewals, retries, refunds, cancellations. Their events (every type Stripe sends,
// handled or not) are then delivered, freshly signed, to the real route handler, with
// duplicates and bursts of the same event, several at a time as Stripe does. Each handled
// event re-reads its subscription/invoices/charge from the emulator, as in production.
// Options: --people N (default 150), --concurrency N (default 8), --detail (time per type).
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { startChild, stopChildren, waitForHttp } from "./processes";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const PEOPLE = arg("people", 150);
const CONCURRENCY = arg("concurrency", 8);
const COMMUNITIES = Math.max(1, Math.round(PEOPLE / 15));
const detail = process.argv.includes("--detail");

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

async function main() {
  const port = await freePort();
  const emulatorUrl = `http://127.0.0.1:${port}`;
  const emulatorProcess = startChild("stripe", process.execPath, ["--import", "tsx", "src/stripe-emulator/main.ts"], {
    ...process.env,
    STRIPE_EMULATOR_PORT: String(port),
    STRIPE_WEBHOOK_SECRET: "whsec_bench_unused",
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
  const { postWebhook, sign } = await import("@/server/funding/testing/stripe-harness");
  const { flushEventLog } = await import("@/server/billing/event-log");
  // Funded communities ask provisioning for their instance (through its job queue): start the
  // queue client before measuring, as a running web process has it already.
  const { queue, stopQueue } = await import("@/server/provisioning/queue");
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

    await queue();
    // Signing is Stripe's work, done on its machines: each delivery gets its own signature
    // (fresh, well inside the tolerance) before the clock starts, so only Hearth's side is timed.
    const signed = deliveries.map((body) => ({ body, signature: sign(body) }));
    // tsx turned on source-mapped stack traces for the TypeScript it loads; `next start` runs
    // without them, and the Stripe SDK reads a stack on every request: measure as production runs.
    process.setSourceMapsEnabled(false);

    // ---- deliver ----
    const outcomes = new Map<string, number>();
    const timing = new Map<string, [number, number]>();
    let next = 0;
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < signed.length) {
          const { body, signature } = signed[next++]!;
          const t0 = performance.now();
          const response = await postWebhook(body, signature);
          const outcome = response.status === 200 ? ((await response.json()) as { outcome: string }).outcome : `HTTP ${response.status}`;
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          if (detail) {
            const type = (JSON.parse(body) as { type: string }).type + ":" + outcome;
            timing.set(type, [(timing.get(type)?.[0] ?? 0) + performance.now() - t0, (timing.get(type)?.[1] ?? 0) + 1]);
          }
        }
      }),
    );
    await flushEventLog();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const perDelivery = (us: number) => (us / 1000 / deliveries.length).toFixed(2);
    console.log(`cpu of this process while delivering: ${perDelivery(cpu.user + cpu.system)} ms per delivery (user ${perDelivery(cpu.user)}, system ${perDelivery(cpu.system)})`);
    console.log(`delivered in ${seconds.toFixed(1)} s`);
    if (detail) {
      for (const [type, [ms, n]] of timing) console.log(`  ${type}: ${n} x ${(ms / n).toFixed(1)} ms`);
    }

    // ---- check the result against Stripe ----
    const paidInvoices = (await stripe.invoices.list({ status: "paid", limit: 100 }).autoPagingToArray({ limit: 10_000 })).length;
    const refunds = (await stripe.refunds.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).length;
    const [payments, refundEntries, eventRows] = await Promise.all([
      db.ledgerEntry.count({ where: { kind: "PAYMENT" } }),
      db.ledgerEntry.count({ where: { kind: "REFUND" } }),
      db.stripeEvent.count(),
    ]);
    const states = await db.communityFunding.groupBy({ by: ["state"], _count: true });

    console.log(`\nseeded ${PEOPLE} contributions to ${COMMUNITIES} communities through Hearth's flow in ${seedSeconds.toFixed(1)} s`);
    console.log(`events: ${events.length} unique of ${types.size} types; deliveries: ${deliveries.length} (${deliveries.length - events.length} duplicates)`);
    console.log(`types: ${[...types].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(", ")}`);
    console.log(`outcomes: ${[...outcomes].map(([o, n]) => `${o} ${n}`).join(", ")}`);
    console.log(`ledger: ${payments} payments for ${paidInvoices} paid invoices, ${refundEntries} refunds of ${refunds}; ${eventRows} event ids recorded`);
    console.log(`funding states: ${states.map((s) => `${s.state} ${s._count}`).join(", ")}`);
    const correct = payments === paidInvoices && refundEntries === refunds && eventRows === events.length && !outcomes.has("HTTP 500");
    console.log(`\nwebhooks: ${deliveries.length} deliveries in ${seconds.toFixed(2)} s = ${(deliveries.length / seconds).toFixed(0)} events/s with dedupe (concurrency ${CONCURRENCY})${correct ? "" : "  -- RESULT MISMATCH"}`);
    if (!correct) process.exitCode = 1;
  } finally {
    await stopQueue();
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
