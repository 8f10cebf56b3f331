// The outbox against a real SMTP server (smtp-server, read back with mailparser): servers that
// accept, answer 4xx then accept, answer 5xx, or drop the connection mid-message. Every message
// arrives exactly once or ends FAILED with the reason, and none holds up the others.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { env, type Env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { makeUser, unique } from "@/server/testing/fixtures";
import { deliverDue, SENDING_STALE_MS, type DeliveryOptions } from "./deliver-outbox";
import { mailTransportConfig } from "./mail-config";
import { queueEmail } from "./queue-email";
import { smtpSender } from "./smtp-sender";
import { startSmtpCatcher, type Behaviour, type CaughtMail, type SmtpCatcher } from "./testing/smtp-catcher";

afterAll(() => db.$disconnect());

let catcher: SmtpCatcher | undefined;
let close: (() => void) | undefined;
afterEach(async () => {
  close?.();
  await catcher?.close();
  catcher = undefined;
  close = undefined;
});

async function smtp(behave?: (input: { to: string[]; messageId: string; seen: number }) => Behaviour) {
  catcher = await startSmtpCatcher({ behave });
  const config: Env = { ...env(), SMTP_URL: catcher.url, SMTP_TLS: "none", HEARTH_MAIL_MAX_ATTEMPTS: 3, HEARTH_MAIL_RETRY_BASE_SECONDS: 30 };
  const transport = mailTransportConfig(config);
  if (transport.mode !== "smtp") throw new Error("expected SMTP");
  const sender = smtpSender(transport.options, config.HEARTH_MAIL_CONCURRENCY);
  close = sender.close;
  return { catcher, options: { config, sender } satisfies DeliveryOptions };
}

/** A contributor and a grace-period notice for them (a templated message with a topic). */
async function notice(label: string) {
  const person = await makeUser({ email: `${unique(label)}@mail.test` });
  const dedupeKey = unique("test-notice");
  await queueEmail(db, {
    kind: "funding.grace",
    toEmail: person.email,
    toUserId: person.id,
    data: { communityName: "Test Town", slug: "test-town", graceEndsAt: "2027-01-15T00:00:00.000Z" },
    dedupeKey,
  });
  return { person, dedupeKey };
}

const row = (dedupeKey: string) => db.emailOutbox.findUniqueOrThrow({ where: { dedupeKey }, omit: { secretsSealed: false } });
const arrivals = (c: SmtpCatcher, to: string) => c.mails.filter((m) => m.to.includes(to));
/** A header as sent (mailparser folds the List-* headers into one object). */
const header = (mail: CaughtMail, name: string) =>
  mail.parsed.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, " ");
const later = (ms: number) => () => new Date(Date.now() + ms);

describe("delivering the outbox over SMTP", () => {
  it("sends each message once, as text and HTML from its template, with absolute links and the unsubscribe headers", async () => {
    const { catcher, options } = await smtp();
    const a = await notice("alice");
    const reset = await makeUser({ email: `${unique("reset")}@mail.test`, verified: false });
    const resetKey = unique("test-reset");
    await queueEmail(db, {
      kind: "account.password_reset",
      toEmail: reset.email,
      toUserId: reset.id,
      data: {},
      secrets: { url: "http://hearth.test/reset-password/secret-token-123" },
      dedupeKey: resetKey,
    });
    await deliverDue(options);
    await deliverDue(options); // nothing left: a second pass sends nothing again

    const [mail] = arrivals(catcher, a.person.email);
    expect(arrivals(catcher, a.person.email)).toHaveLength(1);
    expect(mail!.parsed.subject).toBe("Test Town needs funding");
    expect(mail!.parsed.text).toContain("Jan 15, 2027");
    expect(mail!.parsed.text).toContain("http://hearth.test/c/test-town/contribute");
    expect(mail!.parsed.html).toContain('href="http://hearth.test/c/test-town/contribute"');
    expect(header(mail!, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(header(mail!, "list-unsubscribe")).toMatch(/^<http:\/\/hearth\.test\/api\/unsubscribe\/[\w-]+\.[\w-]+>$/);
    const stored = await row(a.dedupeKey);
    expect(stored).toMatchObject({ state: "SENT", attempts: 1, messageId: mail!.messageId });
    expect(stored.lastResponse).toMatch(/^250 /);

    // The reset link reaches an unverified address (it proves the address), then leaves the database.
    const [resetMail] = arrivals(catcher, reset.email);
    expect(resetMail!.parsed.text).toContain("http://hearth.test/reset-password/secret-token-123");
    expect(header(resetMail!, "list-unsubscribe")).toBeUndefined();
    expect(await row(resetKey)).toMatchObject({ state: "SENT", secretsSealed: null });
  });

  it("retries a message the server answers 4xx, without holding up the next one", async () => {
    const slow = await notice("slow");
    const quick = await notice("quick");
    const { catcher, options } = await smtp(({ to, seen }) => (to.includes(slow.person.email) && seen === 0 ? "tempfail" : "accept"));
    await deliverDue(options);
    expect(arrivals(catcher, quick.person.email)).toHaveLength(1);
    expect(arrivals(catcher, slow.person.email)).toHaveLength(0);
    const waiting = await row(slow.dedupeKey);
    expect(waiting).toMatchObject({ state: "PENDING", attempts: 1 });
    expect(waiting.lastError).toMatch(/451/);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);

    await deliverDue(options); // not due yet
    expect(arrivals(catcher, slow.person.email)).toHaveLength(0);
    await deliverDue({ ...options, now: later(60_000) });
    expect(arrivals(catcher, slow.person.email)).toHaveLength(1);
    expect(await row(slow.dedupeKey)).toMatchObject({ state: "SENT", attempts: 2, lastError: null });
    // The same Message-ID on both attempts.
    expect(new Set(catcher.attempts.filter((t) => t.to.includes(slow.person.email)).map((t) => t.messageId)).size).toBe(1);
  });

  it("marks a message the server refuses with 5xx as failed with the server's answer, and sends the rest", async () => {
    const refused = await notice("refused");
    const fine = await notice("fine");
    const { catcher, options } = await smtp(({ to }) => (to.includes(refused.person.email) ? "reject" : "accept"));
    await deliverDue(options);
    const failed = await row(refused.dedupeKey);
    expect(failed.state).toBe("FAILED");
    expect(failed.lastError).toMatch(/554 5\.7\.1 Message rejected by the test server/);
    expect(arrivals(catcher, fine.person.email)).toHaveLength(1);
    await deliverDue({ ...options, now: later(3600_000) });
    expect(catcher.attempts.filter((t) => t.to.includes(refused.person.email))).toHaveLength(1);
  });

  it("survives a connection dropped mid-message: the message arrives once on a later attempt, the others at once", async () => {
    const cut = await notice("cut");
    const others = [await notice("other"), await notice("other")];
    const { catcher, options } = await smtp(({ to, seen }) => (to.includes(cut.person.email) && seen === 0 ? "drop" : "accept"));
    await deliverDue(options);
    for (const other of others) expect(arrivals(catcher, other.person.email)).toHaveLength(1);
    expect(arrivals(catcher, cut.person.email)).toHaveLength(0);
    expect(await row(cut.dedupeKey)).toMatchObject({ state: "PENDING", attempts: 1 });

    await deliverDue({ ...options, now: later(60_000) });
    expect(arrivals(catcher, cut.person.email)).toHaveLength(1);
    expect(await row(cut.dedupeKey)).toMatchObject({ state: "SENT", attempts: 2 });
  });

  it("gives up after the last attempt and says why", async () => {
    const doomed = await notice("doomed");
    const { catcher, options } = await smtp(({ to }) => (to.includes(doomed.person.email) ? "drop" : "accept"));
    for (let i = 1; i <= 3; i++) await deliverDue({ ...options, now: later(i * 3600_000) });
    const failed = await row(doomed.dedupeKey);
    expect(failed.state).toBe("FAILED");
    expect(failed.lastError).toMatch(/^Gave up after 3 attempts/);
    expect(arrivals(catcher, doomed.person.email)).toHaveLength(0);
  });

  it("lets two workers share the outbox without sending anything twice", async () => {
    const notices = await Promise.all(Array.from({ length: 12 }, (_, i) => notice(`pair${i}`)));
    const { catcher, options } = await smtp();
    const second = smtpSender((mailTransportConfig(options.config) as { options: object }).options, 2);
    try {
      await Promise.all([deliverDue({ ...options, batch: 5 }), deliverDue({ ...options, sender: second, batch: 5 }), deliverDue({ ...options, batch: 5 })]);
      await deliverDue(options);
    } finally {
      second.close();
    }
    for (const n of notices) expect(arrivals(catcher, n.person.email)).toHaveLength(1);
  });

  it("never resends a message a stopped worker left half-sent; it is marked failed", async () => {
    const { catcher, options } = await smtp();
    const stuck = await notice("stuck");
    await db.emailOutbox.update({
      where: { dedupeKey: stuck.dedupeKey },
      data: { state: "SENDING", attempts: 1, claimedAt: new Date(Date.now() - SENDING_STALE_MS - 1000) },
    });
    await deliverDue(options);
    const failed = await row(stuck.dedupeKey);
    expect(failed.state).toBe("FAILED");
    expect(failed.lastError).toMatch(/may have arrived/);
    expect(arrivals(catcher, stuck.person.email)).toHaveLength(0);
  });

  it("sends nothing but account mail to an unverified address, and honours turned-off notices", async () => {
    const { catcher, options } = await smtp();
    const unverified = await makeUser({ email: `${unique("unverified")}@mail.test`, verified: false });
    const key = unique("test-unverified");
    await queueEmail(db, { kind: "funding.suspended", toEmail: unverified.email, toUserId: unverified.id, data: { communityName: "X", slug: "x" }, dedupeKey: key });
    const quiet = await notice("quiet");
    await db.emailOptOut.create({ data: { userId: quiet.person.id, topic: "funding" } });
    await deliverDue(options);
    expect(await row(key)).toMatchObject({ state: "SKIPPED", lastError: expect.stringMatching(/not verified/) });
    expect(await row(quiet.dedupeKey)).toMatchObject({ state: "SKIPPED", lastError: expect.stringMatching(/turned these notices off/) });
    expect(arrivals(catcher, unverified.email)).toHaveLength(0);
    expect(arrivals(catcher, quiet.person.email)).toHaveLength(0);
  });
});

describe("without SMTP settings", () => {
  it("keeps every message in Hearth and hands verification links to the operator", async () => {
    const person = await makeUser({ email: `${unique("local")}@mail.test`, verified: false });
    const key = unique("test-verify");
    await queueEmail(db, {
      kind: "account.verify_email",
      toEmail: person.email,
      toUserId: person.id,
      data: {},
      secrets: { url: "http://hearth.test/verify-email/tok" },
      dedupeKey: key,
    });
    const printed: string[] = [];
    await deliverDue({ config: env(), sender: null, onKeptVerification: (to, url) => printed.push(`${to} ${url}`) });
    expect(await row(key)).toMatchObject({ state: "KEPT", sentAt: null });
    expect(printed).toContain(`${person.email} http://hearth.test/verify-email/tok`);
  });
});
