import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/dashboard/action-button";
import { InviteForm } from "@/components/dashboard/invite-form";
import { RoleForm } from "@/components/dashboard/role-form";
import { ROLE_LABEL } from "@/components/labels";
import { formatDate } from "@/lib/format";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { AppError } from "@/server/errors/app-error";
import { listMembers, type MemberList } from "@/server/members/list-members";
import { removeMemberAction, revokeInvitationAction } from "@/server/members/actions";

export const metadata: Metadata = { title: "Members" };

async function load(actor: Parameters<typeof listMembers>[0], slug: string): Promise<MemberList | null> {
  try {
    return await listMembers(actor, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await actorOrSignIn(`/dashboard/${slug}/members`);
  const list = await load(actor, slug);
  if (!list) notFound();
  const { community, permissions, members, invitations } = list;
  const managesMembers = permissions.includes("members.manage");
  const managesAdmins = permissions.includes("admins.manage");
  return (
    <>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const who = member.name ?? member.email ?? "this member";
              const canChangeRole = managesAdmins && member.role !== "OWNER" && !member.isYou;
              const canRemove =
                member.role !== "OWNER" && (member.isYou || (member.role === "ADMIN" ? managesAdmins : managesMembers));
              return (
                <tr key={member.id}>
                  <td>
                    {member.name ?? member.email ?? "Unnamed member"}
                    {member.isYou ? " (you)" : ""}
                    {member.email && member.name ? <div className="hint">{member.email}</div> : null}
                  </td>
                  <td>
                    {canChangeRole ? (
                      <RoleForm slug={community.slug} membershipId={member.id} role={member.role} who={who} />
                    ) : (
                      ROLE_LABEL[member.role]
                    )}
                  </td>
                  <td>{formatDate(member.since)}</td>
                  <td>
                    {canRemove ? (
                      <ActionButton
                        action={removeMemberAction}
                        fields={{ community: community.slug, membershipId: member.id }}
                        label={member.isYou ? "Leave" : "Remove"}
                        accessibleLabel={member.isYou ? "Leave this community" : `Remove ${who}`}
                      />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {managesMembers ? (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite someone</h2>
          <p className="hint">
            You get a link to send them. It works for 7 days, only once, and only for an account with that email address.
          </p>
          <InviteForm slug={community.slug} canInviteAdmins={managesAdmins} />
          <h3>Open invitations</h3>
          {invitations.length === 0 ? (
            <p>None.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Valid until</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{invitation.email}</td>
                    <td>{ROLE_LABEL[invitation.role]}</td>
                    <td>{invitation.expired ? "Expired" : formatDate(invitation.expiresAt)}</td>
                    <td>
                      {invitation.role !== "ADMIN" || managesAdmins ? (
                        <ActionButton
                          action={revokeInvitationAction}
                          fields={{ community: community.slug, invitationId: invitation.id }}
                          label="Withdraw"
                          accessibleLabel={`Withdraw the invitation for ${invitation.email}`}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </>
  );
}
