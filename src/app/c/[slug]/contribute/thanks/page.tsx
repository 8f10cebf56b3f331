import type { Metadata } from "next";
import Link from "next/link";
import { formatMoney } from "@/lib/format";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { confirmCheckout } from "@/server/funding/confirm-checkout";

export const metadata: Metadata = { title: "Thank you" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ session_id?: string | string[] }> };

// Stripe Checkout's success_url. Waits briefly for the worker to process the payment's event.
export default async function ThanksPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const raw = (await searchParams).session_id;
  // A crafted link may repeat the parameter or put anything in it: only one plain id counts.
  const sessionId = typeof raw === "string" ? raw.slice(0, 300) : "";
  const actor = await actorOrSignIn(`/c/${slug}/contribute/thanks?session_id=${encodeURIComponent(sessionId)}`);
  const outcome = sessionId ? await confirmCheckout(actor.id, sessionId) : null;
  if (!outcome) {
    return (
      <section className="narrow">
        <h1>We could not find that payment</h1>
        <p>
          If you just paid, it will show up on the <Link href={`/c/${slug}`}>community page</Link> in a moment. Your
          contributions are listed under <Link href="/contributions">your contributions</Link>.
        </p>
      </section>
    );
  }
  if (outcome.communityDeleted) {
    return (
      <section className="narrow">
        <h1>{outcome.community.name} was deleted</h1>
        <p role="status">
          The community was deleted before your payment arrived, so your contribution is cancelled and the payment is refunded
          to your card. Nothing more will be charged.
        </p>
        <p>
          <Link href="/contributions">Your contributions and receipts</Link>
        </p>
      </section>
    );
  }
  const active = !outcome.confirming && (outcome.status === "ACTIVE" || outcome.status === "TRIALING");
  return (
    <section className="narrow">
      <h1>Thank you for supporting {outcome.community.name}</h1>
      <p role="status" className={active ? "form-ok" : undefined}>
        {active
          ? `Your contribution of ${formatMoney(outcome.amount, outcome.currency)} a month is active.`
          : outcome.confirming
            ? "Thank you: your payment was received and is being confirmed. It shows up on the community page and under your contributions in a moment."
            : "Your contribution is not active: see your contributions for its state."}
      </p>
      <p className="actions">
        <Link className="button" href={`/c/${outcome.community.slug}`}>
          Back to {outcome.community.name}
        </Link>
        <Link href="/contributions">Your contributions and receipts</Link>
      </p>
    </section>
  );
}
