import type { Metadata } from "next";
import { ChangeEmailForm } from "@/components/account/change-email-form";
import { ActionButton } from "@/components/dashboard/action-button";
import { resendVerificationAction } from "@/server/auth/mail-actions";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getEmailSettings } from "@/server/auth/get-email-settings";

export const metadata: Metadata = { title: "Email address" };

export default async function EmailSettingsPage({ searchParams }: { searchParams: Promise<{ changed?: string }> }) {
  const actor = await actorOrSignIn("/settings/email");
  const { changed } = await searchParams;
  const settings = await getEmailSettings(actor.id);
  return (
    <section className="narrow">
      <h1>Email address</h1>
      {changed ? <p className="form-ok" role="status">Your account now uses {settings.email}.</p> : null}
      <p>
        Your account uses <strong>{settings.email}</strong>
        {settings.verified ? " (confirmed)." : ", which is not confirmed yet."}
      </p>
      {settings.verified ? null : (
        <>
          <p>Open the link we mailed you to confirm it. Until then you cannot start a community, and Hearth sends you no other mail.</p>
          <ActionButton action={resendVerificationAction} fields={{}} label="Send the link again" />
        </>
      )}
      <h2>Change it</h2>
      <p>We send a link to the new address; the change happens when you open it, and the old address is told.</p>
      <ChangeEmailForm needsPassword={settings.hasPassword} />
    </section>
  );
}
