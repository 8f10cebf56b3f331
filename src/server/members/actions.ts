"use server";
// Member forms of a community's dashboard, and accepting an invitation. Each dashboard form
// names its community in a hidden field; the domain function checks the signed-in person's
// permission in that community again.
import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { formatDate } from "@/lib/format";
import { withAction } from "@/server/actions/with-action";
import { acceptInvitation } from "./accept-invitation";
import { changeMemberRole } from "./change-member-role";
import { invitationUrl } from "./invitation-token";
import { inviteMember } from "./invite-member";
import { removeMember } from "./remove-member";
import { revokeInvitation } from "./revoke-invitation";
import { acceptInvitationSchema, changeRoleSchema, inviteSchema, removeMemberSchema, revokeInvitationSchema } from "./schemas";

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

// Idempotent: a second post of the same form lands on the same dashboard.
export const acceptInvitationAction = withAction(acceptInvitationSchema, async (input, { actor }) => {
  const { slug } = await acceptInvitation(actor, input.token);
  redirect(`/dashboard/${slug}`);
});
