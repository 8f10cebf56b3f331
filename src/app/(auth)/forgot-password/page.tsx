import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/account/forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <section className="narrow">
      <h1>Forgot your password?</h1>
      <p>Enter the address of your account. We mail you a link to choose a new password; it works once, for one hour.</p>
      <ForgotPasswordForm />
      <p>
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
