// Puts a message in the outbox, inside the caller's transaction: it is sent only if what it tells
// about was committed. The worker delivers it (deliver-outbox.ts). Links with tokens go in
// `secrets`, sealed at rest and dropped once the message is sent.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { seal } from "@/server/crypto/seal";
import { TEMPLATES, type MailData, type MailKind } from "./templates";

/** A transaction (or the client itself): only createMany of the outbox is used. */
type Tx = { emailOutbox: { createMany: (args: { data: Prisma.EmailOutboxCreateManyInput[]; skipDuplicates: boolean }) => Promise<{ count: number }> } };

export type QueuedEmail<K extends MailKind> = {
  kind: K;
  toEmail: string;
  toUserId?: string | null;
  communityId?: string | null;
  data: MailData<K>;
  secrets?: Record<string, string>;
  /** Unique per message: queuing the same key again does nothing. */
  dedupeKey: string;
};

export const secretsContext = (dedupeKey: string) => `mail:${dedupeKey}`;

function row<K extends MailKind>(email: QueuedEmail<K>): Prisma.EmailOutboxCreateManyInput {
  const template = TEMPLATES[email.kind];
  const data = template.data.parse(email.data) as Prisma.InputJsonValue;
  if (template.secrets) template.secrets.parse(email.secrets ?? {});
  // Kept on the row for lists (the viewer); a template's subject never holds a secret.
  const subject = (template.subject as (d: unknown) => string)(data);
  return {
    kind: email.kind,
    toEmail: email.toEmail.toLowerCase(),
    toUserId: email.toUserId ?? null,
    communityId: email.communityId ?? null,
    subject,
    data,
    secretsSealed: email.secrets ? seal(JSON.stringify(email.secrets), secretsContext(email.dedupeKey)) : null,
    dedupeKey: email.dedupeKey,
  };
}

/** Queues messages (skipping any whose dedupeKey is already there); returns how many were new. */
export async function queueEmails<K extends MailKind>(tx: Tx, emails: QueuedEmail<K>[]): Promise<number> {
  if (emails.length === 0) return 0;
  const { count } = await tx.emailOutbox.createMany({ data: emails.map(row), skipDuplicates: true });
  return count;
}

export function queueEmail<K extends MailKind>(tx: Tx, email: QueuedEmail<K>): Promise<number> {
  return queueEmails(tx, [email]);
}
