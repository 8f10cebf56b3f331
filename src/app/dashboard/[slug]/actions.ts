"use server";
// Forms of a community's dashboard. Each one names its community in a hidden field; the
// domain function checks the signed-in person's permission in that community again.
import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { withAction } from "@/server/actions/with-action";
import { formatDate } from "@/components/labels";
import { deleteCommunity } from "@/server/communities/delete-community";
import { deleteCommunitySchema, updateSettingsSchema } from "@/server/communities/schemas";
import { updateCommunitySettings } from "@/server/communities/update-community-settings";
import { changeMemberRole } from "@/server/members/change-member-role";
import { invitationUrl } from "@/server/members/invitation-token";
import { inviteMember } from "@/server/members/invite-member";
import { removeMember } from "@/server/members/remove-member";
import { revokeInvitation } from "@/server/members/revoke-invitation";
import { instanceRequestSchema, retryInstanceAs, revealAdminCredentialsAs } from "@/server/provisioning/instance-requests";
import { requestExport } from "@/server/exports/request-export";
import { changeRoleSchema, inviteSchema, removeMemberSchema, revokeInvitationSchema } from "@/server/members/schemas";

export const updateSettingsAction = withAction(updateSettingsSchema, async (input, { actor }) => {
  await updateCommunitySettings(actor, input);
  refresh();
  return { message: "Settings saved." };
});

export const deleteCommunityAction = withAction(deleteCommunitySchema, async (input, { actor }) => {
  await deleteCommunity(actor, input);
  redirect("/dashboard?deleted=1");
});

export const inviteMemberAction = withAction(inviteSchema, async (input, { actor }) => {
  const invitation = await inviteMember(actor, input);
  refresh();
  return {
    message: `Invitation mailed to ${invitation.email}; it works until ${formatDate(invitation.expiresAt)}. You can also pass on the link below.`,
    data: { link: invitationUrl(invitation.path) },
  };
});

export const revokeInvitationAction = withAction(revokeInvitationSchema, async (input, { actor }) => {
  await revokeInvitation(actor, input);
  refresh();
  return { message: "Invitation withdrawn." };
});

export const removeMemberAction = withAction(removeMemberSchema, async (input, { actor }) => {
  const { left } = await removeMember(actor, input);
  if (left) redirect("/dashboard?left=1");
  refresh();
  return { message: "Member removed." };
});

export const changeRoleAction = withAction(changeRoleSchema, async (input, { actor }) => {
  await changeMemberRole(actor, input);
  refresh();
  return { message: "Role changed." };
});

export const retryInstanceAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  await retryInstanceAs(actor, input);
  refresh();
  return { message: "Trying again now." };
});

export const revealCredentialsAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  const credentials = await revealAdminCredentialsAs(actor, input);
  return { message: "Write the password down now: it is not shown again.", data: credentials };
});

export const requestExportAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  await requestExport(actor, input);
  refresh();
  return { message: "Export queued." };
});
