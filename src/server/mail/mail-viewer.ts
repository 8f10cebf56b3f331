// The host admins' mail viewer (/admin/mail): every queued message with its state, and one
// message as it was (or would be) sent. Links that carry a token (resets, verifications) are
// shown only for mail kept in Hearth, where the viewer is how mail is read; once sent over SMTP
// they are gone from the database anyway.
import "server-only";
import { z } from "zod";
import type { EmailState } from "@/generated/prisma/enums";
import type { Actor } from "@/server/auth/permissions";
import { assertHostPermission } from "@/server/auth/host-permission";
import { unseal } from "@/server/crypto/seal";
import { db } from "@/server/db/client";
import { env } from "@/server/config/env";
import { publicUrl } from "@/server/site/public-url";
import { composeMail } from "./compose-mail";
import { mailFrom, mailTransportConfig } from "./mail-config";
import { secretsContext } from "./queue-email";
import { templateOf } from "./templates";

export const mailListParams = z.object({
  to: z.string().trim().toLowerCase().max(254).optional().catch(undefined),
  state: z.enum(["PENDING", "SENDING", "SENT", "KEPT", "FAILED", "SKIPPED"]).optional().catch(undefined),
  before: z.iso.datetime().optional().catch(undefined),
});
export type MailListParams = z.infer<typeof mailListParams>;

const PAGE = 50;

export async function listOutbox(actor: Actor | null, params: MailListParams) {
  assertHostPermission(actor, "admin.mail.read");
  const rows = await db.emailOutbox.findMany({
    where: {
      ...(params.to ? { toEmail: { contains: params.to } } : {}),
      ...(params.state ? { state: params.state as EmailState } : {}),
      ...(params.before ? { createdAt: { lt: new Date(params.before) } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE + 1,
    select: { id: true, createdAt: true, toEmail: true, subject: true, kind: true, state: true, attempts: true, lastError: true, lastResponse: true, sentAt: true },
  });
  const transport = mailTransportConfig(env());
  return {
    rows: rows.slice(0, PAGE),
    next: rows.length > PAGE ? rows[PAGE - 1]!.createdAt.toISOString() : null,
    delivery: transport.mode === "smtp" ? `sent through ${transport.relay}` : "kept in Hearth (no SMTP relay is configured): nothing is sent",
  };
}

function withoutSecrets<T extends { secretsSealed: unknown }>(row: T): Omit<T, "secretsSealed"> {
  const copy: Partial<T> = { ...row };
  delete copy.secretsSealed;
  return copy as Omit<T, "secretsSealed">;
}

export async function getOutboxMessage(actor: Actor | null, id: string) {
  assertHostPermission(actor, "admin.mail.read");
  const row = await db.emailOutbox.findUnique({ where: { id }, omit: { secretsSealed: false } });
  if (!row) return null;
  const template = templateOf(row.kind);
  const showLinks = row.state === "KEPT" && row.secretsSealed;
  const secrets = showLinks
    ? (JSON.parse(unseal(row.secretsSealed!, secretsContext(row.dedupeKey))) as Record<string, unknown>)
    : template?.secrets
      ? { url: publicUrl("/admin/mail#link-withheld") }
      : null;
  let rendered: ReturnType<typeof composeMail> | null = null;
  let problem: string | null = null;
  try {
    rendered = composeMail(row, secrets);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  return { ...withoutSecrets(row), from: mailFrom(env()), rendered, problem, linksWithheld: !showLinks && Boolean(template?.secrets) };
}
