// Invite codes for a community's Bluesky PDS, made by its owner or admins from the dashboard.
// The PDS requires an invite to sign up (PDS_INVITE_REQUIRED, templates/pds.ts) and only its
// admin password, which Hearth alone knows, can make one; so the organiser asks Hearth, which
// asks the PDS (com.atproto.server.createInviteCode). Codes live in the PDS, not in Hearth.
import "server-only";
import { z } from "zod";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { AppError } from "@/server/errors/app-error";
import { communityRef } from "@/lib/community-ref";
import { StepError } from "./docker-errors";
import { pdsXrpc } from "./pds-api";
import { loadInstance, planContext } from "./run-plan-context";

export const MAX_INVITE_USES = 50;

export const pdsInviteSchema = z.object({
  community: communityRef,
  uses: z.coerce
    .number({ message: "Enter how many accounts the code may create." })
    .int("Enter a whole number.")
    .min(1, "At least one account.")
    .max(MAX_INVITE_USES, `At most ${MAX_INVITE_USES} accounts per code: make another code for more.`),
});

/** A new invite code for the community's running PDS, good for `uses` accounts. */
export async function createPdsInviteAs(actor: Actor, input: z.infer<typeof pdsInviteSchema>): Promise<{ code: string; uses: number }> {
  const { community } = await authorizeCommunity(actor, input.community, "instance.manage");
  const row = await db.instance.findUnique({ where: { communityId: community.id }, select: { id: true, phase: true } });
  const instance = row ? await loadInstance(row.id) : null;
  if (!instance || instance.community.software !== "BLUESKY_PDS") throw new AppError("UNPROCESSABLE", "This community's server is not a Bluesky PDS.");
  if (row?.phase !== "RUNNING") throw new AppError("UNPROCESSABLE", "Invite codes can be made while the server is running.");
  const ctx = await planContext(docker(), env(), instance);
  try {
    const { code } = await pdsXrpc<{ code: string }>(ctx, "com.atproto.server.createInviteCode", { body: { useCount: input.uses }, auth: "admin" });
    return { code, uses: input.uses };
  } catch (error) {
    if (error instanceof StepError) throw new AppError("UNAVAILABLE", `The server did not make a code just now: ${error.message} Try again in a moment.`);
    throw error;
  }
}
