// Saves the host settings form. The form carries the revision it was rendered with; under a
// transaction-wide advisory lock the stored revision is compared first, so two admins saving
// at once cannot overwrite each other unnoticed: the second is told to reload.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/auth/permissions";
import { recordAudit } from "@/server/audit/record-audit";
import { assertHostPermission } from "@/server/auth/host-permission";
import type { RequestOrigin } from "@/server/audit/request-origin";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { getHostSettings, SETTING } from "./host-settings";
import type { HostSettingsInput } from "./schemas";

export const SETTINGS_CONFLICT = "Another admin saved the settings after you opened this page. Reload to see them, then make your change again.";

export async function updateHostSettings(actor: Actor | null, origin: RequestOrigin, input: HostSettingsInput): Promise<void> {
  assertHostPermission(actor, "admin.settings.write");
  try {
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('hearth.host-settings', 0))`;
      const before = await getHostSettings(tx);
      if (before.revision !== input.revision) throw new AppError("CONFLICT", SETTINGS_CONFLICT);
      const values: Record<string, Prisma.InputJsonValue> = {
        [SETTING.enabledSoftware]: input.enabledSoftware,
        [SETTING.versions]: input.versions,
        [SETTING.graceDays]: input.graceDays,
        [SETTING.hostFeeCents]: input.hostFeeCents,
      };
      for (const [key, value] of Object.entries(values)) {
        await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
      }
      const changed = Object.fromEntries(
        (["enabledSoftware", "versions", "graceDays", "hostFeeCents"] as const)
          .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(input[key]))
          .map((key) => [key, { from: before[key], to: input[key] }]),
      );
      await recordAudit(tx, { actorId: actor.id, action: "settings.updated", data: changed, origin, result: "SUCCEEDED" });
    });
  } catch (error) {
    if (error instanceof AppError) {
      await recordAudit(db, { actorId: actor.id, action: "settings.updated", data: { refused: error.message }, origin, result: "REFUSED" });
    }
    throw error;
  }
}
