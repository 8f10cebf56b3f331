import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { SecondFactorForm } from "@/components/account/second-factor-form";
import { safeRedirectPath } from "@/lib/redirect-target";
import { actorOrSignIn } from "@/server/auth/current-actor";

export const metadata: Metadata = { title: "Two-factor sign-in" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

// Asked of a host admin whose session has not passed the second factor yet.
export default async function SecondFactorPage({ searchParams }: Props) {
  const callbackUrl = safeRedirectPath((await searchParams).callbackUrl, "/admin");
  const actor = await actorOrSignIn(`/account/two-factor?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (actor.isHostAdmin) redirect(callbackUrl);
  if (actor.adminGate === "enrol-second-factor") redirect("/account/two-factor/setup");
  if (actor.adminGate !== "second-factor") notFound();
  return (
    <section className="narrow">
      <h1>Two-factor sign-in</h1>
      <p>Enter the 6-digit code your authenticator app shows for Hearth, or one of your recovery codes.</p>
      <SecondFactorForm callbackUrl={callbackUrl} />
    </section>
  );
}
