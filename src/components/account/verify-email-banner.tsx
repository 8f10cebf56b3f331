import Link from "next/link";
import { getActor } from "@/server/auth/current-actor";
import { isEmailVerified } from "@/server/auth/email-verification";

/** Tells a signed-in person whose address is not confirmed what that means and where to fix it. */
export async function VerifyEmailBanner() {
  const actor = await getActor();
  if (!actor || (await isEmailVerified(actor.id))) return null;
  return (
    <p className="notice" role="status">
      Confirm your email address: open the link we sent to <strong>{actor.email}</strong>. Until then you cannot start a
      community. <Link href="/settings/email">Send it again or change the address</Link>
    </p>
  );
}
