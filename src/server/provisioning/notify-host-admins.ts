// Tells the host's admins (accounts marked host admin, and HEARTH_ADMIN_EMAILS) that a run of an
// instance failed, through the email outbox: once per run, with the diagnosis and where to act.
import "server-only";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { publicUrl } from "@/server/site/public-url";

export async function notifyHostAdminsOfFailure(input: { communityId: string; runId: string; message: string }): Promise<void> {
  const emails = env().HEARTH_ADMIN_EMAILS;
  const [admins, community] = await Promise.all([
    db.user.findMany({ where: { OR: [{ isHostAdmin: true }, { email: { in: [...emails] } }] }, select: { id: true, email: true } }),
    db.community.findUnique({ where: { id: input.communityId }, select: { name: true, slug: true } }),
  ]);
  if (!community || admins.length === 0) return;
  await db.emailOutbox.createMany({
    data: admins.map((admin) => ({
      toEmail: admin.email,
      toUserId: admin.id,
      communityId: input.communityId,
      kind: "admin.instance_failed",
      subject: `${community.name} (${community.slug}): its instance needs attention`,
      body: `${input.message}\n\nThe tenant page has the timeline and the actions (retry, re-pin images): ${publicUrl(`/admin/tenants/${input.communityId}`)}`,
      dedupeKey: `instance-failed:${input.runId}:${admin.id}`,
    })),
    skipDuplicates: true,
  });
}
