import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { peekEmailToken } from "@/server/auth/email-tokens";
import { RESET_LINK_INVALID } from "@/server/auth/password-reset";

// The token is in the address: keep it out of Referer headers to other sites and out of search
// engines ("same-origin", not "no-referrer": with that, form posts carry Origin: null and Next.js
// refuses them as cross-site).
export const metadata: Metadata = { title: "Choose a new password", referrer: "same-origin", robots: { index: false } };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const valid = await peekEmailToken(token, "RESET_PASSWORD");
  return (
    <section className="narrow">
      <h1>Choose a new password</h1>
      {valid ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p>
          {RESET_LINK_INVALID} <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      )}
    </section>
  );
}
