// Where Hearth's own mail goes: an SMTP relay from SMTP_URL or the SMTP_HOST group, or, with
// neither, nowhere outside Hearth (kept for the host admins' mail viewer).
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { Env } from "@/server/config/env";

export type MailTransportConfig =
  | { mode: "smtp"; options: SMTPTransport.Options; relay: string }
  | { mode: "local" };

function tlsOptions(tls: Env["SMTP_TLS"]): Pick<SMTPTransport.Options, "secure" | "requireTLS" | "ignoreTLS"> {
  switch (tls) {
    case "tls":
      return { secure: true };
    case "starttls":
      return { secure: false, requireTLS: true };
    case "none":
      return { secure: false, ignoreTLS: true };
    default:
      return { secure: false };
  }
}

/** The relay as a person may see it: host and port, never the user or password. */
function describe(host: string, port: number, secure: boolean | undefined) {
  return `${host}:${port}${secure ? " (TLS)" : ""}`;
}

export function mailTransportConfig(config: Env): MailTransportConfig {
  // Timeouts short enough that a stuck relay cannot hold a message (or the worker's stop) for long.
  const timeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
  if (config.SMTP_URL) {
    const url = new URL(config.SMTP_URL);
    const secure = url.protocol === "smtps:";
    const port = Number(url.port) || (secure ? 465 : 587);
    const options: SMTPTransport.Options = {
      host: url.hostname,
      port,
      ...(secure ? { secure: true } : tlsOptions(config.SMTP_TLS)),
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      ...timeouts,
    };
    return { mode: "smtp", options, relay: describe(url.hostname, port, options.secure) };
  }
  if (config.SMTP_HOST) {
    const tls = tlsOptions(config.SMTP_TLS);
    const port = config.SMTP_PORT ?? (tls.secure ? 465 : 587);
    const options: SMTPTransport.Options = {
      host: config.SMTP_HOST,
      port,
      ...tls,
      ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? "" } } : {}),
      ...timeouts,
    };
    return { mode: "smtp", options, relay: describe(config.SMTP_HOST, port, tls.secure) };
  }
  return { mode: "local" };
}

/** The From header of Hearth's mail: HEARTH_MAIL_FROM, else Hearth <hearth@panel-host>. */
export function mailFrom(config: Env): string {
  if (config.HEARTH_MAIL_FROM) return config.HEARTH_MAIL_FROM;
  const host = config.NEXTAUTH_URL ? new URL(config.NEXTAUTH_URL).hostname : "localhost";
  return `Hearth <hearth@${host === "localhost" || host === "127.0.0.1" ? config.HEARTH_BASE_DOMAIN : host}>`;
}

/** The domain part of the From address, for Message-IDs. */
export function fromDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split("@")[1]?.trim() || "hearth.localhost";
}
