// Heavy-load and down alerts by mail to the community's admins (whoever may manage its
// instance), at most one per community and kind every 6 hours: a flapping instance opens
// many alerts but sends one mail. Reads the Alert rows the metrics collector writes; each is
// looked at once (mailedAt), under a row lock, so two workers never mail the same alert.
import "server-only";
import type { AlertKind } from "@/generated/prisma/enums";
import { rolesWith } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { queueEmails } from "./queue-email";

export const ALERT_MAIL_WINDOW_MS = 6 * 3600_000;
/** Alerts older than this when first seen (a worker that was down for a while) are not mailed. */
const TOO_OLD_MS = 3600_000;
const KINDS = { HEAVY_LOAD: "alert.heavy_load", DOWN: "alert.down" } as const satisfies Partial<Record<AlertKind, string>>;

export async function queueAlertMails(now = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const alerts = await tx.$queryRaw<{ id: string; communityId: string; kind: keyof typeof KINDS; message: string; openedAt: Date; closedAt: Date | null }[]>`
      SELECT id, "communityId", kind::text AS kind, message, "openedAt", "closedAt" FROM "Alert"
      WHERE "mailedAt" IS NULL AND kind IN ('HEAVY_LOAD', 'DOWN')
      ORDER BY "openedAt" LIMIT 200 FOR UPDATE SKIP LOCKED`;
    if (alerts.length === 0) return 0;
    let queued = 0;
    for (const alert of alerts) {
      const kind = KINDS[alert.kind];
      const current = alert.closedAt === null && now.getTime() - alert.openedAt.getTime() < TOO_OLD_MS;
      const recent = current
        ? await tx.emailOutbox.findFirst({
            where: { communityId: alert.communityId, kind, createdAt: { gt: new Date(now.getTime() - ALERT_MAIL_WINDOW_MS) } },
            select: { id: true },
          })
        : null;
      if (current && !recent) {
        const community = await tx.community.findUnique({
          where: { id: alert.communityId, deletedAt: null },
          select: {
            name: true,
            slug: true,
            memberships: { where: { role: { in: rolesWith("instance.manage") } }, select: { user: { select: { id: true, email: true } } } },
          },
        });
        if (community) {
          queued += await queueEmails(
            tx,
            community.memberships.map(({ user }) => ({
              kind,
              toEmail: user.email,
              toUserId: user.id,
              communityId: alert.communityId,
              data: { communityName: community.name, slug: community.slug, message: alert.message },
              dedupeKey: `alert:${alert.id}:${user.id}`,
            })),
          );
        }
      }
      await tx.alert.update({ where: { id: alert.id }, data: { mailedAt: now } });
    }
    return queued;
  });
}
