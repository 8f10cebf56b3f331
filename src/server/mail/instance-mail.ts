// Mail for the communities' instances (their own sign-up confirmations and password resets):
// the relay and the sender are host settings (Setting "mail.instances", the password sealed);
// without that row, instances use Hearth's own relay (SMTP_URL / SMTP_HOST). The sender is
// notifications@<instance domain> unless the host sets another pattern ({domain} is replaced).
import "server-only";
import { z } from "zod";
import { env } from "@/server/config/env";
import { seal, unseal } from "@/server/crypto/seal";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { mailTransportConfig } from "./mail-config";

export const INSTANCE_MAIL_SETTING = "mail.instances";
export const DEFAULT_INSTANCE_FROM = "notifications@{domain}";
const passwordContext = "setting:mail.instances:password";

export const TLS_MODES = ["auto", "starttls", "tls", "none"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export const instanceMailRowSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(TLS_MODES),
  user: z.string().nullable(),
  passwordSealed: z.string().nullable(),
  from: z.string().min(3),
});
export type InstanceMailRow = z.infer<typeof instanceMailRowSchema>;

/** The relay for instances, as the admin settings page shows it (never the password). */
export type InstanceRelay = {
  host: string;
  port: number;
  tls: TlsMode;
  user: string | null;
  hasPassword: boolean;
  from: string;
  source: "host setting" | "Hearth's own relay";
};

/** What an instance is configured with: its sender made from the pattern and its domain. */
export type InstanceMail = { host: string; port: number; tls: TlsMode; user: string | null; password: string | null; from: string };

type Reader = { setting: Pick<typeof db.setting, "findUnique"> };

async function storedRow(client: Reader): Promise<InstanceMailRow | null> {
  const row = await client.setting.findUnique({ where: { key: INSTANCE_MAIL_SETTING } });
  if (!row) return null;
  const parsed = instanceMailRowSchema.safeParse(row.value);
  if (!parsed.success) log.warn("ignoring an invalid host setting", { key: INSTANCE_MAIL_SETTING });
  return parsed.success ? parsed.data : null;
}

function fromEnv(): (InstanceMailRow & { password: string | null }) | null {
  const config = env();
  const transport = mailTransportConfig(config);
  if (transport.mode !== "smtp") return null;
  const o = transport.options;
  const tls: TlsMode = o.secure ? "tls" : o.requireTLS ? "starttls" : o.ignoreTLS ? "none" : "auto";
  const auth = o.auth as { user?: string; pass?: string } | undefined;
  return { host: o.host ?? "", port: o.port ?? 587, tls, user: auth?.user ?? null, passwordSealed: null, password: auth?.pass ?? null, from: DEFAULT_INSTANCE_FROM };
}

export async function getInstanceRelay(client: Reader = db): Promise<InstanceRelay | null> {
  const row = await storedRow(client);
  if (row) return { host: row.host, port: row.port, tls: row.tls, user: row.user, hasPassword: row.passwordSealed !== null, from: row.from, source: "host setting" };
  const own = fromEnv();
  return own ? { host: own.host, port: own.port, tls: own.tls, user: own.user, hasPassword: own.password !== null, from: own.from, source: "Hearth's own relay" } : null;
}

/** The mail settings an instance on `domain` gets, or null when the host has no relay for instances. */
export async function instanceMailFor(domain: string, client: Reader = db): Promise<InstanceMail | null> {
  const row = await storedRow(client);
  const source = row ? { ...row, password: row.passwordSealed ? unseal(row.passwordSealed, passwordContext) : null } : fromEnv();
  if (!source) return null;
  return { host: source.host, port: source.port, tls: source.tls, user: source.user, password: source.password, from: source.from.replaceAll("{domain}", domain) };
}

export function sealRelayPassword(password: string): string {
  return seal(password, passwordContext);
}
