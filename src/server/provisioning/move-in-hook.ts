// Moving in: a community that starts from an export archive of an existing instance. Its first
// provisioning takes the instance's secrets from the archive (so the data that came with it can
// be read: sessions, two-factor settings, encrypted columns, Web Push subscriptions) and, once
// the database and Redis are up and before migrations and app processes start, puts the
// archive's data in. The restorer lives in src/server/exports (a higher layer) and is registered
// here by the worker at start-up, like the exporter (export-hook.ts).
import "server-only";
import { z } from "zod";
import { db } from "@/server/db/client";
import { seal, unseal } from "@/server/crypto/seal";
import { StepError } from "./docker-errors";
import type { PlanContext } from "./run-plan-context";
import type { Step } from "./run-steps";
import { generateSecrets, tenantSecretsSchema, type TenantSecrets } from "./secrets";

/**
 * The secrets that come with an archive: the software's own, never the database's or Redis's
 * passwords (the new containers get new ones). A PDS brings the key its accounts' did:plc
 * documents name as their rotation key (without it no handle of theirs could change again) and
 * its token secret (sessions keep working); its admin password is new, as it only guards the
 * admin API.
 */
export const movedSecretsSchema = tenantSecretsSchema.pick({ mastodon: true, misskey: true }).extend({
  pds: tenantSecretsSchema.shape.pds.unwrap().pick({ jwtSecret: true, plcRotationKeyHex: true }).optional(),
});
export type MovedSecrets = z.infer<typeof movedSecretsSchema>;

const context = (communityId: string) => `move-in:${communityId}:secrets`;

export function sealMovedSecrets(communityId: string, secrets: MovedSecrets): string {
  return seal(JSON.stringify(movedSecretsSchema.parse(secrets)), context(communityId));
}

function unsealMovedSecrets(communityId: string, sealed: string): MovedSecrets {
  return movedSecretsSchema.parse(JSON.parse(unseal(sealed, context(communityId))));
}

export const WAITING_FOR_ARCHIVE =
  "Waiting for the archive to move in: the organiser uploads it on the community's dashboard. Nothing has been set up yet; this is tried again.";

/**
 * The secrets of a community's first instance: generated, with the archive's own in their place
 * when the community moves in. Refuses (and the run waits) while no archive has been accepted.
 */
export async function firstSecrets(ctx: PlanContext): Promise<{ secrets: TenantSecrets; said: string }> {
  const generated = generateSecrets(ctx.software);
  const moveIn = await db.moveIn.findUnique({ where: { communityId: ctx.instance.communityId }, select: { archive: true, secretsSealed: true } });
  if (!moveIn) return { secrets: generated, said: "Generated and stored encrypted" };
  if (!moveIn.archive || !moveIn.secretsSealed) throw new StepError(WAITING_FOR_ARCHIVE);
  const moved = unsealMovedSecrets(ctx.instance.communityId, moveIn.secretsSealed);
  return {
    secrets: {
      ...generated,
      ...(moved.mastodon ? { mastodon: moved.mastodon } : {}),
      ...(moved.misskey ? { misskey: moved.misskey } : {}),
      ...(moved.pds && generated.pds ? { pds: { ...generated.pds, ...moved.pds } } : {}),
    },
    said: `Taken from the archive ${moveIn.archive} (${ctx.software === "BLUESKY_PDS" ? "admin password" : "database and Redis passwords"} new), stored encrypted`,
  };
}

export type MoveInRestorer = (ctx: PlanContext, archive: string, progress: (detail: string) => void) => Promise<string>;

let restorer: MoveInRestorer | undefined;

export function registerMoveInRestorer(fn: MoveInRestorer | undefined): void {
  restorer = fn;
}

/** The provisioning step that fills the new instance with the archive's data (the data containers are up, nothing else is). */
export function moveInStep(ctx: PlanContext): Step {
  return {
    key: "move-in",
    label: ctx.software === "BLUESKY_PDS" ? "Move in: put the archive's databases and blobs in" : "Move in: put the archive's database, media and Redis data in",
    run: async (progress) => {
      const row = await db.moveIn.findUnique({ where: { communityId: ctx.instance.communityId }, select: { archive: true, restoredAt: true } });
      if (row?.restoredAt) return "Already done";
      if (!row?.archive) throw new StepError(WAITING_FOR_ARCHIVE);
      if (!restorer) throw new StepError("Moving in is not available in this process yet (no restorer registered); this is tried again.");
      const said = await restorer(ctx, row.archive, progress);
      await db.moveIn.update({ where: { communityId: ctx.instance.communityId }, data: { restoredAt: new Date() } });
      return said;
    },
  };
}
