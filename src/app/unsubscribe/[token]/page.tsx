import type { Metadata } from "next";
import Link from "next/link";
import { UnsubscribeButton } from "@/components/account/unsubscribe-button";
import { describeUnsubscribe } from "@/server/mail/notification-settings";

export const metadata: Metadata = { title: "Stop these mails", referrer: "same-origin", robots: { index: false } };

// Opening the link changes nothing (mail scanners open links); the button does.
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const what = await describeUnsubscribe(token);
  return (
    <section className="narrow">
      <h1>Stop these mails</h1>
      {what ? (
        <>
          <p>
            Turn off mail about “{what.label}” for {what.email}?
          </p>
          <UnsubscribeButton token={token} />
        </>
      ) : (
        <p>
          This link is not valid. Sign in and change your notices under <Link href="/settings/notifications">Settings</Link>.
        </p>
      )}
    </section>
  );
}
