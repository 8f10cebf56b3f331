// Invite codes for a community's Bluesky PDS, made by its owner or admins from the dashboard.
// The PDS requires an invite to sign up (PDS_INVITE_REQUIRED, templates/pds.ts) and only its
// admin password, which Hearth alone knows, can make one; so the organiser asks Hearth, which
// asks the PDS (com.atproto.server.createInviteCode). Codes live in the PDS, not in Hearth.
import "server-only";
import { z } from "zod";
import { recordAudit } from "@/server/audit/record-audit";
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
import { instanceBusy, lockInstance, reapply, wakeInstance } from "./tenant-instance";

export const MAX_INVITE_USES = 50;

export const pdsInviteSchema = z.object({
  community: communityRef,
  uses: z.coerce
    .number({ message: "Enter how many accounts the code may create." })
    .int("Enter a whole number.")
    .min(1, "At least one account.")
    .max(MAX_INVITE_USES, `At most ${MAX_INVITE_USES} accounts per code: make another code for more.`),
});

export const pdsInviteDisableSchema = z.object({
  community: communityRef,
  code: z.string().trim().min(1, "Which code?").max(200).regex(/^[\w-]+$/, "That is not an invite code."),
});

export type PdsInvite = { code: string; available: number; used: number; disabled: boolean; createdAt: string };

/** The community's running PDS, as the organiser may manage it (NOT_FOUND for anyone else). */
async function runningPds(actor: Actor, ref: string) {
  const { community } = await authorizeCommunity(actor, ref, "instance.manage");
  const row = await db.instance.findUnique({ where: { communityId: community.id }, select: { id: true, phase: true } });
  const instance = row ? await loadInstance(row.id) : null;
  if (!instance || instance.community.software !== "BLUESKY_PDS") throw new AppError("UNPROCESSABLE", "This community's server is not a Bluesky PDS.");
  if (row?.phase !== "RUNNING") throw new AppError("UNPROCESSABLE", "Invite codes can be managed while the server is running.");
  return { ctx: await planContext(docker(), env(), instance), communityId: community.id };
}

async function askPds<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StepError) throw new AppError("UNAVAILABLE", `The server did not ${what} just now: ${error.message} Try again in a moment.`);
    throw error;
  }
}

/** A new invite code for the community's running PDS, good for `uses` accounts. */
export async function createPdsInviteAs(actor: Actor, input: z.infer<typeof pdsInviteSchema>): Promise<{ code: string; uses: number }> {
  const { ctx, communityId } = await runningPds(actor, input.community);
  const { code } = await askPds("make a code", () =>
    pdsXrpc<{ code: string }>(ctx, "com.atproto.server.createInviteCode", { body: { useCount: input.uses }, auth: "admin" }),
  );
  // The code itself is a credential: the record says that one was made, not which.
  await recordAudit(db, { actorId: actor.id, communityId, action: "pds.invite-created", data: { uses: input.uses } });
  return { code, uses: input.uses };
}

type InviteCodeView = { code: string; available: number; disabled: boolean; createdAt: string; uses: unknown[] };

/** The PDS's newest invite codes (at most 100), with how many accounts each has made. */
export async function listPdsInvitesAs(actor: Actor, ref: string): Promise<PdsInvite[]> {
  const { ctx } = await runningPds(actor, ref);
  const { codes } = await askPds("list its codes", () =>
    pdsXrpc<{ codes: InviteCodeView[] }>(ctx, "com.atproto.admin.getInviteCodes", { query: { sort: "recent", limit: 100 }, auth: "admin" }),
  );
  return codes.map((c) => ({ code: c.code, available: c.available, used: c.uses.length, disabled: c.disabled, createdAt: c.createdAt }));
}

/** Stops a code from making more accounts; accounts it made stay. */
export async function disablePdsInviteAs(actor: Actor, input: z.infer<typeof pdsInviteDisableSchema>): Promise<void> {
  const { ctx, communityId } = await runningPds(actor, input.community);
  await askPds("disable the code", () => pdsXrpc(ctx, "com.atproto.admin.disableInviteCodes", { body: { codes: [input.code] }, auth: "admin" }));
  await recordAudit(db, { actorId: actor.id, communityId, action: "pds.invite-disabled" });
}

export const pdsSignUpSchema = z.object({
  community: communityRef,
  signUp: z.enum(["invite", "open"], { message: "Choose who may create an account." }),
});

/**
 * Who may create an account on the community's PDS. The PDS reads it at start, so a running
 * server is brought in line by the worker (its container is recreated; accounts and posts are
 * in its volumes). `restarting`: the running server restarts to apply it.
 */
export async function setPdsSignUpAs(actor: Actor, input: z.infer<typeof pdsSignUpSchema>): Promise<{ changed: boolean; restarting: boolean }> {
  const { community } = await authorizeCommunity(actor, input.community, "instance.manage");
  const open = input.signUp === "open";
  const result = await db.$transaction(async (tx) => {
    const row = await tx.community.findUniqueOrThrow({ where: { id: community.id }, select: { software: true } });
    if (row.software !== "BLUESKY_PDS") throw new AppError("UNPROCESSABLE", "This community's server is not a Bluesky PDS.");
    const instance = await lockInstance(tx, community.id);
    if (instance && instanceBusy(instance)) throw new AppError("CONFLICT", "The server is being set up or changed right now. Try again once it has settled.");
    const { count } = await tx.community.updateMany({ where: { id: community.id, pdsOpenSignUp: !open }, data: { pdsOpenSignUp: open } });
    if (count === 0) return { changed: false, wake: null };
    await recordAudit(tx, { actorId: actor.id, communityId: community.id, action: "pds.sign-up-changed", data: { signUp: input.signUp } });
    return { changed: true, wake: instance && (await reapply(tx, instance)) ? instance.id : null };
  });
  if (result.wake) await wakeInstance(result.wake);
  return { changed: result.changed, restarting: result.wake !== null };
}
