import { z } from "zod";
import { emailSchema } from "@/server/auth/schemas";
import { communityRef } from "@/lib/community-ref";

// OWNER is never granted by invitation or role change: there is one owner, who created it.
const grantableRole = z.enum(["ADMIN", "MEMBER"], { message: "Choose a role." });
const id = z.string().trim().min(1).max(64);

export const inviteSchema = z.object({ community: communityRef, email: emailSchema, role: grantableRole });
export const revokeInvitationSchema = z.object({ community: communityRef, invitationId: id });
export const removeMemberSchema = z.object({ community: communityRef, membershipId: id });
export const changeRoleSchema = z.object({ community: communityRef, membershipId: id, role: grantableRole });
export const acceptInvitationSchema = z.object({ token: z.string().trim().min(10).max(200) });

export type InviteInput = z.infer<typeof inviteSchema>;
