import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { EnrolTotpForm } from "@/components/account/enrol-totp-form";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { startTotpEnrolment } from "@/server/auth/two-factor/second-factor";
import { AppError } from "@/server/errors/app-error";

export const metadata: Metadata = { title: "Set up two-factor sign-in" };

export default async function TotpSetupPage() {
  const actor = await actorOrSignIn("/account/two-factor/setup");
  const enrolment = await startTotpEnrolment(actor).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  if (enrolment.enrolled) redirect("/account");
  const grouped = enrolment.secret.match(/.{1,4}/g)!.join(" ");
  return (
    <section className="narrow">
      <h1>Set up two-factor sign-in</h1>
      <p>
        Host admins can reach every tenant, so the admin area asks for a second factor: a code from an authenticator app
        (any app that supports TOTP).
      </p>
      <ol>
        <li>
          In your authenticator app, add an account with this key (time-based): <code data-testid="totp-secret">{grouped}</code>
          {" "}or open <a href={enrolment.uri}>this link</a> on the device that has the app.
        </li>
        <li>Enter your password and the 6-digit code the app shows.</li>
      </ol>
      <EnrolTotpForm needsPassword={enrolment.needsPassword} />
    </section>
  );
}
