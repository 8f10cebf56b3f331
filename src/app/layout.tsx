import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { connection } from "next/server";
import { signOutAction } from "@/server/auth/actions";
import { getActor } from "@/server/auth/current-actor";
import { hasHostPermission } from "@/server/auth/permissions";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
import { DemoPaymentsBand } from "@/components/demo-payments-band";
import { env, paymentsMode } from "@/server/config/env";
import { publicUrl } from "@/server/site/public-url";
import { openGraph } from "./social-preview";
import "./globals.css";

const DESCRIPTION = "Community-funded Mastodon and Misskey servers, run by and for their communities.";

// Per request: relative addresses in metadata (the social preview image, page URLs) become
// absolute on this Hearth's public address (NEXTAUTH_URL, as links in mail), which is the
// running server's and not the build machine's.
export async function generateMetadata(): Promise<Metadata> {
  await connection();
  return {
    ...baseMetadata,
    metadataBase: new URL(publicUrl("/")),
    // Every page: the site's preview; the start page and community pages add their address.
    openGraph: openGraph({ title: "Hearth", description: DESCRIPTION }),
  };
}

const baseMetadata: Metadata = {
  title: { default: "Hearth", template: "%s · Hearth" },
  description: DESCRIPTION,
  // Files in public/ (served as they are).
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
  manifest: "/manifest.webmanifest",
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

async function PaymentsBand() {
  await connection(); // the running server's configuration, never the build machine's
  return paymentsMode(env()) === "emulator" ? <DemoPaymentsBand /> : null;
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <PaymentsBand />
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
