import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/dashboard/action-button";
import { confirmEmailChangeAction } from "@/server/auth/mail-actions";
import { peekEmailToken } from "@/server/auth/email-tokens";

export const metadata: Metadata = { title: "Confirm your new address", referrer: "same-origin", robots: { index: false } };

export default async function ConfirmEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const valid = await peekEmailToken(token, "CHANGE_EMAIL");
  return (
    <section className="narrow">
      <h1>Confirm your new address</h1>
      {valid ? (
        <ActionButton action={confirmEmailChangeAction} fields={{ token }} label="Use this address for my account" className="" />
      ) : (
        <p>
          This link is not valid any more. <Link href="/settings/email">Ask for the change again</Link>.
        </p>
      )}
    </section>
  );
}
