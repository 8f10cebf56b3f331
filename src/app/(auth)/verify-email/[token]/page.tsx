import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/dashboard/action-button";
import { verifyEmailAction } from "@/server/auth/mail-actions";
import { peekEmailToken } from "@/server/auth/email-tokens";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "same-origin", robots: { index: false } };

// A button rather than confirming on load: mail scanners that open every link must not use it up.
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const valid = await peekEmailToken(token, "VERIFY_EMAIL");
  return (
    <section className="narrow">
      <h1>Confirm your email address</h1>
      {valid ? (
        <ActionButton action={verifyEmailAction} fields={{ token }} label="Confirm my email address" className="" />
      ) : (
        <p>
          This link is not valid any more: it was used already, or it is older than two days.{" "}
          <Link href="/settings/email">Ask for a new one</Link> from your settings.
        </p>
      )}
    </section>
  );
}
