"use server";
import { redirect } from "next/navigation";
import { withAction } from "@/server/actions/with-action";
import { acceptInvitation } from "@/server/members/accept-invitation";
import { acceptInvitationSchema } from "@/server/members/schemas";

// Idempotent: a second post of the same form lands on the same dashboard.
export const acceptInvitationAction = withAction(acceptInvitationSchema, async (input, { actor }) => {
  const { slug } = await acceptInvitation(actor, input.token);
  redirect(`/dashboard/${slug}`);
});
