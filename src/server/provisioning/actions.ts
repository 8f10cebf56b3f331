"use server";
// The dashboard's instance forms: try a failed set-up again, and show the instance's admin
// password once. The domain functions check the permission in the community.
import { refresh } from "next/cache";
import { withAction } from "@/server/actions/with-action";
import { instanceRequestSchema, retryInstanceAs, revealAdminCredentialsAs } from "./instance-requests";
import { createPdsInviteAs, disablePdsInviteAs, pdsInviteDisableSchema, pdsInviteSchema, pdsSignUpSchema, setPdsSignUpAs } from "./pds-invites";

export const retryInstanceAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  await retryInstanceAs(actor, input);
  refresh();
  return { message: "Trying again now." };
});

export const revealCredentialsAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  const credentials = await revealAdminCredentialsAs(actor, input);
  return { message: "Write the password down now: it is not shown again.", data: credentials };
});

export const createPdsInviteAction = withAction(pdsInviteSchema, async (input, { actor }) => {
  const invite = await createPdsInviteAs(actor, input);
  refresh();
  return {
    message: `Invite code for ${invite.uses === 1 ? "one account" : `${invite.uses} accounts`}: ${invite.code}. Give it to the people you invite; they enter it when they sign up in a Bluesky app with this server as their provider.`,
    data: { code: invite.code },
  };
});

export const disablePdsInviteAction = withAction(pdsInviteDisableSchema, async (input, { actor }) => {
  await disablePdsInviteAs(actor, input);
  refresh();
  return { message: "That code makes no more accounts. Accounts it made stay." };
});

export const setPdsSignUpAction = withAction(pdsSignUpSchema, async (input, { actor }) => {
  const { changed, restarting } = await setPdsSignUpAs(actor, input);
  refresh();
  const who = input.signUp === "open" ? "Anyone can now create an account" : "New accounts now need an invite code";
  if (!changed) return { message: "Nothing to change." };
  return { message: restarting ? `${who}. The server restarts for a moment to apply it.` : `${who}.` };
});
