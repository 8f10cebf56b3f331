import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/dashboard/action-button";
import { ROLE_LABEL } from "@/components/labels";
import type { CommunityRole } from "@/generated/prisma/enums";
import { getActor } from "@/server/auth/current-actor";
import { getInvitation } from "@/server/members/get-invitation";
import { acceptInvitationAction } from "@/server/members/actions";

// The token is in the address: keep it out of Referer headers sent to other sites.
export const metadata: Metadata = { title: "Invitation", referrer: "same-origin", robots: { index: false } };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await getActor();
  const invitation = await getInvitation(token, actor);
  if (invitation.state === "invalid") notFound();
  const here = `/invitations/${token}`;
  const role = ROLE_LABEL[invitation.role as CommunityRole].toLowerCase();
  return (
    <section className="narrow">
      <h1>Join {invitation.communityName}</h1>
      {invitation.state === "accepted-by-you" ? (
        <p>
          You have joined. <Link href={`/dashboard/${invitation.slug}`}>Go to the community</Link>
        </p>
      ) : invitation.state === "expired" ? (
        <p>This invitation has expired. Ask whoever invited you for a new one.</p>
      ) : !actor ? (
        <>
          <p>
            You are invited as {role}. Sign in or create an account with <strong>{invitation.email}</strong> to accept.
          </p>
          <p className="actions">
            <Link className="button" href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>
              Sign in
            </Link>
            <Link className="button secondary" href={`/sign-up?callbackUrl=${encodeURIComponent(here)}`}>
              Create an account
            </Link>
          </p>
        </>
      ) : actor.email !== invitation.email ? (
        <p>
          This invitation is for <strong>{invitation.email}</strong>, but you are signed in as {actor.email}. Sign out and
          sign in with that address to accept it.
        </p>
      ) : (
        <>
          <p>You are invited to join as {role}.</p>
          <ActionButton action={acceptInvitationAction} fields={{ token }} label="Accept the invitation" className="" />
        </>
      )}
    </section>
  );
}
