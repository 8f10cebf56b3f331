import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { getActor } from "@/server/auth/current-actor";
import { enabledOAuthProviders } from "@/server/auth/oauth-providers";
import { safeRedirectPath } from "@/lib/redirect-target";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeRedirectPath((await searchParams).callbackUrl, "/start");
  if (await getActor()) redirect(callbackUrl);
  return (
    <section className="narrow">
      <h1>Create your Hearth account</h1>
      <p>With an account you can start a community, fund one, or help run one.</p>
      <SignUpForm callbackUrl={callbackUrl} />
      <OAuthButtons providers={enabledOAuthProviders()} callbackUrl={callbackUrl} />
      <p>
        Already have an account? <Link href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
      </p>
    </section>
  );
}
