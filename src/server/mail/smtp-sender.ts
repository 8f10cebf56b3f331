// The one SMTP client of the worker: a nodemailer pooled transport, so messages share a few
// connections, and a connection that fails takes only the message it carried with it.
import "server-only";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";

export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
};

export type MailSender = {
  /** Resolves with the server's acceptance ("250 ..."); rejects with nodemailer's error. */
  send: (mail: OutgoingMail) => Promise<{ response: string }>;
  close: () => void;
};

export function smtpSender(options: SMTPTransport.Options, maxConnections: number): MailSender {
  const transport = nodemailer.createTransport({ ...options, pool: true, maxConnections, maxMessages: 100 });
  return {
    async send(mail) {
      const info = await transport.sendMail({ ...mail, headers: mail.headers });
      return { response: info.response };
    },
    close: () => transport.close(),
  };
}

export type SmtpFailure = { temporary: boolean; reason: string };

/**
 * Permanent (5xx to MAIL FROM, RCPT TO or DATA: the server refuses this message) or temporary
 * (4xx, a dropped or refused connection, a timeout, and also a refused login or greeting: those
 * are about the relay, not the message, and every message would fail the same way until the
 * relay is fixed).
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  const e = error as { responseCode?: number; response?: string; command?: string; code?: string; message?: string };
  const answer = (e.response ?? e.message ?? String(error)).replace(/\s+/g, " ").trim().slice(0, 500);
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const command = (e.command ?? "").toUpperCase();
  const aboutMessage = /^(MAIL|RCPT|DATA)/.test(command) || command === "";
  if (code !== undefined && code >= 500 && code < 600 && aboutMessage) {
    return { temporary: false, reason: `The mail server refused it: ${answer}` };
  }
  if (code !== undefined) return { temporary: true, reason: `The mail server answered ${answer}` };
  return { temporary: true, reason: `${e.code ? `${e.code}: ` : ""}${answer}` };
}
