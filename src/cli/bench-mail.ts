// `npm run bench:mail`: how fast the outbox drains into a local SMTP server (the smtp-server
// package, in this process), and how long a notice takes from its event to the SMTP server's
// acceptance with the worker's mail loop at its default interval (HEARTH_MAIL_INTERVAL_SECONDS).
// The event is a failed renewal's notice, queued in a transaction by the same function the
// Stripe webhook calls; the clock stops when the SMTP server has accepted the message.
// A fresh database (embedded PostgreSQL unless TEST_DATABASE_SERVER_URL is set).
// Options: --messages N (default 1000), --events N (default 20).
import { performance } from "node:perf_hooks";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const MESSAGES = arg("messages", 1000);
const EVENTS = arg("events", 20);

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

async function main() {
  const server = await startTestServer();
  const databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench_mail");
  process.env.DATABASE_URL = databaseUrl;
  process.env.HEARTH_SECRET_KEY ??= Buffer.alloc(32, 7).toString("base64");
  process.env.NEXTAUTH_SECRET ??= "bench-only-secret-0123456789abcdefghijklmnop";
  process.env.NEXTAUTH_URL ??= "http://hearth.bench";
  const { startSmtpCatcher } = await import("@/server/mail/testing/smtp-catcher");
  const catcher = await startSmtpCatcher();
  process.env.SMTP_URL = catcher.url;
  process.env.SMTP_TLS = "none";

  const { db } = await import("@/server/db/client");
  const { env } = await import("@/server/config/env");
  const { deliverDue } = await import("@/server/mail/deliver-outbox");
  const { mailTransportConfig } = await import("@/server/mail/mail-config");
  const { smtpSender } = await import("@/server/mail/smtp-sender");
  const { queueEmails } = await import("@/server/mail/queue-email");
  const { queueContributorEmail } = await import("@/server/funding/notify");
  const { startMailLoop } = await import("@/server/mail/start-mail-loop");
  const { seedPlans } = await import("@/server/plans/seed-plans");
  const config = env();

  try {
    // People and a community, made directly.
    await seedPlans();
    const plan = await db.plan.findFirstOrThrow();
    const users = await Promise.all(
      Array.from({ length: 50 }, (_, i) => db.user.create({ data: { email: `bench${i}@mail.bench`, emailVerified: new Date() } })),
    );
    const community = await db.community.create({
      data: { slug: "bench", name: "Bench Town", software: "MASTODON", planId: plan.id, ownerId: users[0]!.id, status: "LIVE" },
    });

    // 1. Throughput: MESSAGES templated notices queued at once, drained by delivery passes.
    await queueEmails(
      db,
      Array.from({ length: MESSAGES }, (_, i) => {
        const user = users[i % users.length]!;
        return {
          kind: "funding.grace" as const,
          toEmail: user.email,
          toUserId: user.id,
          communityId: community.id,
          data: { communityName: "Bench Town", slug: "bench", graceEndsAt: new Date().toISOString() },
          dedupeKey: `bench:${i}`,
        };
      }),
    );
    const transport = mailTransportConfig(config);
    if (transport.mode !== "smtp") throw new Error("expected SMTP");
    const sender = smtpSender(transport.options, config.HEARTH_MAIL_CONCURRENCY);
    const started = performance.now();
    let sent = 0;
    for (;;) {
      const counts = await deliverDue({ config, sender, batch: 50 });
      sent += counts.sent;
      if (counts.sent + counts.failed + counts.retried + counts.skipped + counts.kept === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    if (catcher.mails.length !== MESSAGES || sent !== MESSAGES) throw new Error(`expected ${MESSAGES} mails, the server has ${catcher.mails.length}`);
    console.log(`outbox: ${MESSAGES} messages in ${seconds.toFixed(2)} s = ${(MESSAGES / seconds).toFixed(0)} messages/s ` +
      `(concurrency ${config.HEARTH_MAIL_CONCURRENCY}, pooled SMTP connections, templates rendered, every one accepted once)`);

    // The same SMTP client and server without Hearth around them (no database, no templates): the ceiling.
    const RAW = Math.min(MESSAGES, 300);
    const rawStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: config.HEARTH_MAIL_CONCURRENCY }, async () => {
        while (next < RAW) {
          const i = next++;
          await sender.send({ from: "bench@mail.bench", to: `raw${i}@mail.bench`, subject: "raw", text: "x ".repeat(400), html: "<p>x</p>".repeat(100), messageId: `<raw${i}@mail.bench>`, headers: {} });
        }
      }),
    );
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    sender.close();
    console.log(`plain nodemailer to the same server: ${RAW} messages in ${rawSeconds.toFixed(2)} s = ${(RAW / rawSeconds).toFixed(0)} messages/s`);

    // 2. Event to acceptance, with the worker's mail loop at its default interval.
    const loop = startMailLoop();
    const latencies: number[] = [];
    try {
      for (let i = 0; i < EVENTS; i++) {
        // Events at random moments of the polling cycle.
        await new Promise((r) => setTimeout(r, Math.random() * config.HEARTH_MAIL_INTERVAL_SECONDS * 1000));
        const user = users[1 + (i % (users.length - 1))]!;
        const key = `bench-event:${i}`;
        const at = Date.now();
        await db.$transaction((tx) => queueContributorEmail(tx, { userId: user.id, communityId: community.id, kind: "contribution.payment_failed", dedupeKey: key }));
        const row = await db.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: key } });
        const mail = await catcher.waitFor(user.email, (m) => m.messageId.startsWith(`<${row.id}@`), 30_000);
        latencies.push(mail.acceptedAt.getTime() - at);
      }
    } finally {
      await loop.stop();
    }
    console.log(
      `event to accepted (failed renewal notice, HEARTH_MAIL_INTERVAL_SECONDS=${config.HEARTH_MAIL_INTERVAL_SECONDS}, ${EVENTS} events): ` +
        `median ${(percentile(latencies, 50) / 1000).toFixed(2)} s, p95 ${(percentile(latencies, 95) / 1000).toFixed(2)} s, max ${(Math.max(...latencies) / 1000).toFixed(2)} s (target: under 5 s)`,
    );
  } finally {
    await catcher.close();
    await db.$disconnect();
    await dropTestDatabase(databaseUrl).catch(() => {});
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
