import "server-only";
import type { Prisma } from "@/generated/prisma/client";

type Client = Pick<Prisma.TransactionClient, "auditEvent">;

export type AuditInput = {
  actorId: string | null;
  communityId?: string | null;
  action: string;
  data?: Prisma.InputJsonObject;
};

/** Records who did what; call it inside the transaction that makes the change. */
export async function recordAudit(client: Client, input: AuditInput): Promise<void> {
  await client.auditEvent.create({
    data: { actorId: input.actorId, communityId: input.communityId ?? null, action: input.action, data: input.data ?? {} },
  });
}
