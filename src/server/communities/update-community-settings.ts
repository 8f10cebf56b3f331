import "server-only";
import type { z } from "zod";
import { authorizeCommunity, communityWhere, NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import type { updateSettingsSchema } from "./schemas";

/** Changes a community's name, description and rules (community.write). */
export async function updateCommunitySettings(actor: Actor, input: z.infer<typeof updateSettingsSchema>) {
  const { community } = await authorizeCommunity(actor, input.community, "community.write");
  await db.$transaction(async (tx) => {
    // The permission is part of the write itself, so a role lost in between still stops it.
    const { count } = await tx.community.updateMany({
      where: { id: community.id, ...communityWhere(actor, "community.write") },
      data: { name: input.name, description: input.description, rules: input.rules },
    });
    if (count !== 1) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
    await recordAudit(tx, { actorId: actor.id, communityId: community.id, action: "community.settings_changed" });
  });
}
