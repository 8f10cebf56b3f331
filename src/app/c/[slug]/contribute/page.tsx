import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ContributeForm } from "@/components/funding/contribute-form";
import { formatMoney } from "@/lib/format";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getPublicCommunity } from "@/server/communities/get-public-community";
import { getContributeContext } from "@/server/funding/get-contribute-context";

export const metadata: Metadata = { title: "Contribute" };

type Props = { params: Promise<{ slug: string }> };

export default async function ContributePage({ params }: Props) {
  const { slug } = await params;
  const actor = await actorOrSignIn(`/c/${slug}/contribute`);
  const community = await getPublicCommunity(slug, actor);
  if (!community) notFound();
  const context = await getContributeContext(community.id, actor.id);
  const money = (units: number) => formatMoney(units * 100, context.currency);
  return (
    <section className="narrow">
      <p className="breadcrumb">
        <Link href={`/c/${community.slug}`}>{community.name}</Link>
      </p>
      <h1>Support {community.name} every month</h1>
      {context.refusal ? (
        <p className="form-error" role="status">
          {context.refusal}
        </p>
      ) : context.alreadySupporting ? (
        <p role="status">
          You already support {community.name}. Change the amount or cancel under{" "}
          <Link href="/contributions">your contributions</Link>.
        </p>
      ) : (
        <>
          <p className="lead">
            Its server costs {formatMoney(context.monthlyCost, context.currency)} a month. You pay on the next page, through
            Stripe; you can change or cancel your contribution at any time.
          </p>
          <ContributeForm
            slug={community.slug}
            currency={context.currency}
            presets={context.presets.map((units) => ({ value: String(units), label: money(units) }))}
            max={money(context.max)}
            defaultName={actor.name ?? ""}
          />
        </>
      )}
    </section>
  );
}
