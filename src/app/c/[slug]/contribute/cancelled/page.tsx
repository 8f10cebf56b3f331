import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Contribution not made" };

type Props = { params: Promise<{ slug: string }> };

// Stripe Checkout's cancel_url: nothing was charged; the pending contribution simply expires.
export default async function CancelledPage({ params }: Props) {
  const { slug } = await params;
  return (
    <section className="narrow">
      <h1>No contribution was made</h1>
      <p>You left the payment page before paying, so nothing was charged.</p>
      <p className="actions">
        <Link className="button" href={`/c/${slug}/contribute`}>
          Try again
        </Link>
        <Link href={`/c/${slug}`}>Back to the community</Link>
      </p>
    </section>
  );
}
