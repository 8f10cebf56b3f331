import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { AuditResult } from "@/generated/prisma/enums";

// Structural, so both a transaction and the client (with its default omits) fit.
type Client = { auditEvent: { create: (args: { data: Prisma.AuditEventUncheckedCreateInput }) => PromiseLike<unknown> } };

export type AuditInput = {
  actorId: string | null;
  communityId?: string | null;
  action: string;
  data?: Prisma.InputJsonObject;
  /** From where: host-admin actions record it. */
  origin?: { ip: string | null; userAgent: string | null };
  result?: AuditResult;
};

/** Records who did what; call it inside the transaction that makes the change. */
export async function recordAudit(client: Client, input: AuditInput): Promise<void> {
  await client.auditEvent.create({
    data: {
      actorId: input.actorId,
      communityId: input.communityId ?? null,
      action: input.action,
      data: input.data ?? {},
      ip: input.origin?.ip ?? null,
      userAgent: input.origin?.userAgent ?? null,
      result: input.result ?? null,
    },
  });
}
