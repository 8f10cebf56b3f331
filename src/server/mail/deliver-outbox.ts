// The worker's side of the outbox. Each pass claims due messages with FOR UPDATE SKIP LOCKED (two
// workers never take the same one), gives each a Message-ID once, and sends them side by side:
// a refused or slow message never holds up the others. After the server's answer the row is
// SENT (with the answer), back to PENDING with a later nextAttemptAt (4xx, connection trouble),
// or FAILED with the answer (5xx, attempts used up). A row left SENDING by a worker that died
// mid-send is marked FAILED, never sent again: it may have arrived, and no mail goes out twice.
import "server-only";
import type { Env } from "@/server/config/env";
import { unseal } from "@/server/crypto/seal";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { mapLimit } from "@/lib/map-limit";
import { composeMail, type ComposedMail } from "./compose-mail";
import { fromDomain, mailFrom } from "./mail-config";
import { secretsContext } from "./queue-email";
import { classifySmtpError, type MailSender } from "./smtp-sender";
import { templateOf } from "./templates";

/** A SENDING row older than this belonged to a worker that stopped mid-send. */
export const SENDING_STALE_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 6 * 3600_000;

type Claimed = {
  id: string;
  kind: string;
  toEmail: string;
  toUserId: string | null;
  subject: string;
  body: string;
  data: unknown;
  secretsSealed: string | null;
  dedupeKey: string;
  attempts: number;
  messageId: string;
};

export type DeliveryCounts = { sent: number; kept: number; retried: number; failed: number; skipped: number };

export type DeliveryOptions = {
  config: Env;
  /** null: no SMTP configured, messages are kept in Hearth. */
  sender: MailSender | null;
  now?: () => Date;
  batch?: number;
  /** Told about every kept verification link (the run command prints them for the operator). */
  onKeptVerification?: (to: string, url: string) => void;
};

async function claim(now: Date, batch: number, domain: string): Promise<Claimed[]> {
  return db.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT id FROM "EmailOutbox"
      WHERE state = 'PENDING' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT ${batch}
      FOR UPDATE SKIP LOCKED)
    UPDATE "EmailOutbox" o
    SET state = 'SENDING', "claimedAt" = ${now}, attempts = o.attempts + 1,
        "messageId" = COALESCE(o."messageId", '<' || o.id || '@' || ${domain} || '>')
    FROM due WHERE o.id = due.id
    RETURNING o.id, o.kind, o."toEmail", o."toUserId", o.subject, o.body, o.data, o."secretsSealed",
      o."dedupeKey", o.attempts, o."messageId"`;
}

/** Rows a dead worker left mid-send: failed for good, with why. */
async function failInterrupted(now: Date): Promise<number> {
  return db.emailOutbox.updateMany({
    where: { state: "SENDING", claimedAt: { lt: new Date(now.getTime() - SENDING_STALE_MS) } },
    data: {
      state: "FAILED",
      lastError: "The worker stopped while handing this message to the mail server. It is not sent again, since it may have arrived.",
    },
  }).then((r) => r.count);
}

type Recipient = { email: string; verified: boolean; optedOut: Set<string> } | null;

async function recipients(rows: Claimed[]): Promise<Map<string, Recipient>> {
  const ids = [...new Set(rows.map((r) => r.toUserId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await db.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, email: true, emailVerified: true, emailOptOuts: { select: { topic: true } } },
  });
  const found = new Map<string, Recipient>(ids.map((id) => [id, null]));
  for (const u of users) found.set(u.id, { email: u.email, verified: u.emailVerified !== null, optedOut: new Set(u.emailOptOuts.map((o) => o.topic)) });
  return found;
}

/** Why a message must not go out to this person, if it must not. */
function skipReason(row: Claimed, recipient: Recipient | undefined): string | null {
  if (!row.toUserId) return null;
  if (!recipient) return "The account it was for no longer exists.";
  const template = templateOf(row.kind);
  if (!template?.beforeVerification && !recipient.verified) return "The recipient has not verified their email address yet.";
  if (template?.topic && recipient.optedOut.has(template.topic)) return "The recipient turned these notices off.";
  return null;
}

function backoffMs(config: Env, attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, config.HEARTH_MAIL_RETRY_BASE_SECONDS * 1000 * 2 ** (attempts - 1));
}

async function settle(row: Claimed, data: Parameters<typeof db.emailOutbox.updateMany>[0]["data"]) {
  // Only the claim that is ours: a row taken over meanwhile is left alone.
  await db.emailOutbox.updateMany({ where: { id: row.id, state: "SENDING", attempts: row.attempts }, data });
}

async function deliverOne(row: Claimed, recipient: Recipient | undefined, options: DeliveryOptions, now: Date): Promise<keyof DeliveryCounts> {
  const skip = skipReason(row, recipient);
  if (skip) {
    await settle(row, { state: "SKIPPED", lastError: skip, secretsSealed: null });
    return "skipped";
  }
  const template = templateOf(row.kind);
  const to = template?.fixedAddress || !recipient ? row.toEmail : recipient.email;
  let mail: ComposedMail;
  let secrets: Record<string, unknown> | null = null;
  try {
    secrets = row.secretsSealed ? (JSON.parse(unseal(row.secretsSealed, secretsContext(row.dedupeKey))) as Record<string, unknown>) : null;
    mail = composeMail(row, secrets);
  } catch (error) {
    await settle(row, { state: "FAILED", lastError: `It could not be put together: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000) });
    return "failed";
  }
  if (!options.sender) {
    await settle(row, { state: "KEPT", lastResponse: "Kept in Hearth: no SMTP relay is configured.", lastError: null });
    if (row.kind === "account.verify_email" && typeof secrets?.url === "string") options.onKeptVerification?.(to, secrets.url);
    return "kept";
  }
  try {
    const { response } = await options.sender.send({
      from: mailFrom(options.config),
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: row.messageId,
      headers: mail.headers,
    });
    await settle(row, { state: "SENT", sentAt: new Date(), lastResponse: response.slice(0, 500), lastError: null, secretsSealed: null });
    return "sent";
  } catch (error) {
    const failure = classifySmtpError(error);
    const last = row.attempts >= options.config.HEARTH_MAIL_MAX_ATTEMPTS;
    if (failure.temporary && !last) {
      await settle(row, { state: "PENDING", lastError: failure.reason, nextAttemptAt: new Date(now.getTime() + backoffMs(options.config, row.attempts)) });
      log.warn("mail delivery will be retried", { id: row.id, kind: row.kind, attempt: row.attempts, reason: failure.reason });
      return "retried";
    }
    const reason = failure.temporary ? `Gave up after ${row.attempts} attempts. Last: ${failure.reason}` : failure.reason;
    await settle(row, { state: "FAILED", lastError: reason.slice(0, 1000), secretsSealed: null });
    log.warn("mail delivery failed", { id: row.id, kind: row.kind, reason });
    return "failed";
  }
}

/** One pass: claims up to `batch` due messages and delivers them; returns what happened. */
export async function deliverDue(options: DeliveryOptions): Promise<DeliveryCounts> {
  const now = (options.now ?? (() => new Date()))();
  const counts: DeliveryCounts = { sent: 0, kept: 0, retried: 0, failed: 0, skipped: 0 };
  counts.failed += await failInterrupted(now);
  const rows = await claim(now, options.batch ?? 50, fromDomain(mailFrom(options.config)));
  if (rows.length === 0) return counts;
  const people = await recipients(rows).catch(async (error: unknown) => {
    // Nothing was sent yet: give the claims back rather than let them expire as interrupted.
    await db.emailOutbox.updateMany({ where: { id: { in: rows.map((r) => r.id) }, state: "SENDING" }, data: { state: "PENDING", attempts: { decrement: 1 } } });
    throw error;
  });
  const outcomes = await mapLimit(rows, options.config.HEARTH_MAIL_CONCURRENCY, (row) =>
    deliverOne(row, row.toUserId ? people.get(row.toUserId) : undefined, options, now).catch(async (error: unknown) => {
      // A database hiccup after the claim: the row stays SENDING and is failed later as interrupted.
      log.error("mail delivery step failed", { id: row.id, error: error instanceof Error ? error.message : String(error) });
      return "failed" as const;
    }),
  );
  for (const outcome of outcomes) counts[outcome] += 1;
  return counts;
}
