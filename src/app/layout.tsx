import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { signOutAction } from "@/server/auth/actions";
import { getActor } from "@/server/auth/current-actor";
import { hasHostPermission } from "@/server/auth/permissions";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Hearth", template: "%s · Hearth" },
  description: "Community-funded Mastodon and Misskey servers, run by and for their communities.",
};

async function AccountNav() {
  const actor = await getActor();
  if (!actor) {
    return (
      <nav aria-label="Account">
        <Link href="/sign-in">Sign in</Link>
        <Link className="button" href="/sign-up">
          Create account
        </Link>
      </nav>
    );
  }
  return (
    <nav aria-label="Account">
      <Link href="/start">Start a community</Link>
      <Link href="/dashboard">Your communities</Link>
      {hasHostPermission(actor, "admin.dashboard") ? <Link href="/admin">Admin</Link> : null}
      <Link href="/contributions">Your contributions</Link>
      <Link href="/settings/email">Settings</Link>
      <span className="whoami">
        Signed in as <Link href="/account"><strong>{actor.name ?? actor.email}</strong></Link>
      </span>
      <form action={signOutAction}>
        <button type="submit" className="secondary">
          Sign out
        </button>
      </form>
    </nav>
  );
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link className="brand" href="/">
            Hearth
          </Link>
          <AccountNav />
        </header>
        <main id="main">
          <VerifyEmailBanner />
          {children}
        </main>
      </body>
    </html>
  );
}
