import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";
import { CREDENTIALS_RATE_LIMITED } from "@/server/auth/auth-options";
import { getActor } from "@/server/auth/current-actor";
import { enabledOAuthProviders } from "@/server/auth/oauth-providers";
import { safeRedirectPath } from "@/lib/redirect-target";
import { WRONG_CREDENTIALS } from "@/server/auth/sign-in";

export const metadata: Metadata = { title: "Sign in" };

// next-auth sends people back here with ?error=<code>; only known codes are turned into
// words, so a crafted link cannot put its own text on the page.
const ERRORS: Record<string, string> = {
  CredentialsSignin: WRONG_CREDENTIALS,
  [CREDENTIALS_RATE_LIMITED]: "Too many failed sign-ins. Try again in 15 minutes.",
  OAuthAccountNotLinked: "This email already has a Hearth account. Sign in with your password.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; reset?: string; verified?: string }>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getActor()) redirect(callbackUrl);
  const initialError = params.error ? (ERRORS[params.error] ?? "Signing in did not work. Please try again.") : undefined;
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      {params.reset ? <p className="form-ok" role="status">Your new password is set, and every other session is signed out. Sign in with it.</p> : null}
      {params.verified ? <p className="form-ok" role="status">Your email address is confirmed. Sign in to continue.</p> : null}
      <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <OAuthButtons providers={enabledOAuthProviders()} callbackUrl={callbackUrl} />
      <p>
        New here? <Link href={`/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
      </p>
    </section>
  );
}
