import "server-only";
import type { z } from "zod";
import { authorizeCommunity, communityWhere } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import type { changeRoleSchema } from "./schemas";

/** Makes a member an admin or an admin a member (admins.manage). The owner's role does not change here. */
export async function changeMemberRole(actor: Actor, input: z.infer<typeof changeRoleSchema>) {
  const { community } = await authorizeCommunity(actor, input.community, "admins.manage");
  const target = await db.membership.findFirst({
    where: { id: input.membershipId, communityId: community.id },
    select: { id: true, role: true, userId: true },
  });
  if (!target) throw new AppError("NOT_FOUND", "There is no such member.");
  if (target.role === "OWNER") throw new AppError("FORBIDDEN", "The owner's role cannot be changed.");
  if (target.role === input.role) return;
  await db.$transaction(async (tx) => {
    const { count } = await tx.membership.updateMany({
      where: { id: target.id, role: { not: "OWNER" }, community: { id: community.id, ...communityWhere(actor, "admins.manage") } },
      data: { role: input.role },
    });
    if (count !== 1) throw new AppError("NOT_FOUND", "There is no such member.");
    await recordAudit(tx, {
      actorId: actor.id,
      communityId: community.id,
      action: "member.role_changed",
      data: { userId: target.userId, from: target.role, to: input.role },
    });
  });
}
