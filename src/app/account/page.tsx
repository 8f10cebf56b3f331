import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SessionList } from "@/components/account/session-list";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getAccountOverview } from "@/server/auth/account-overview";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await actorOrSignIn("/account");
  const overview = await getAccountOverview(actor);
  return (
    <section className="narrow">
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{overview.email}</strong>
        {overview.emailVerified ? " (verified)" : " (not verified yet)"}.
      </p>

      <h2>Where you are signed in</h2>
      <SessionList sessions={overview.sessions} />

      {overview.hasPassword ? (
        <>
          <h2>Change your password</h2>
          <p>Every other session is signed out, and we email you that the password changed.</p>
          <ChangePasswordForm />
        </>
      ) : null}

      {overview.twoFactor !== "not-offered" ? (
        <>
          <h2>Two-factor sign-in</h2>
          {overview.twoFactor === "on" ? (
            <p>On: the admin area asks for a code from your authenticator app (or a recovery code).</p>
          ) : (
            <p>
              Host admins need it before the admin area opens. <Link href="/account/two-factor/setup">Set up two-factor sign-in</Link>
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
