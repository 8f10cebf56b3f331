// "Your export is ready", to whoever asked for it: the owner gets the link to their dashboard's
// exports, a host admin the link to the tenant's admin page (where each can download it).
import "server-only";
import type { Prisma, TenantOperation } from "@/generated/prisma/client";
import { queueEmail } from "@/server/mail/queue-email";

export async function queueExportReady(tx: Prisma.TransactionClient, operation: TenantOperation, detail: string): Promise<void> {
  if (!operation.requestedById) return;
  const [person, community] = await Promise.all([
    tx.user.findUnique({ where: { id: operation.requestedById }, select: { id: true, email: true } }),
    tx.community.findUnique({ where: { id: operation.communityId }, select: { name: true, slug: true, ownerId: true } }),
  ]);
  if (!person || !community) return;
  const path = community.ownerId === person.id ? `/dashboard/${community.slug}` : `/admin/tenants/${operation.communityId}`;
  await queueEmail(tx, {
    kind: "export.ready",
    toEmail: person.email,
    toUserId: person.id,
    communityId: operation.communityId,
    data: { communityName: community.name, detail, path },
    dedupeKey: `export-ready:${operation.id}`,
  });
}
