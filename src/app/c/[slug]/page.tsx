import { Facts } from "@/components/facts";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FundingSlot } from "@/components/community/funding-slot";
import { PlainText } from "@/components/community/plain-text";
import { InstanceStateBadge } from "@/components/load/instance-state-badge";
import { SOFTWARE_LABEL } from "@/components/labels";
import { formatMoney, formatResources } from "@/lib/format";
import { getPublicPage } from "./public-page";
import { openGraph } from "@/app/social-preview";
import { instanceAddress } from "@/server/provisioning";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const slug = (await params).slug;
  const page = await getPublicPage(slug);
  if (!page) return { title: "Not found" };
  const { name, description } = page.community;
  return {
    title: name,
    description: description || undefined,
    openGraph: openGraph({ title: name, description: description || `${name}: a community-funded server on Hearth.`, path: `/c/${slug}` }),
  };
}

export default async function CommunityPage({ params }: Props) {
  const page = await getPublicPage((await params).slug);
  if (!page) notFound();
  const { community, instanceState, funding } = page;
  const { domain: address, url } = await instanceAddress(community);
  // The badge and the funding sentence below come from the same function (public-state.ts).
  const state = funding?.publicState;
  return (
    <article className="community">
      <header>
        <h1>{community.name}</h1>
        <p>
          {state ? (
            <span className={`status public-${state.tone}`}>
              <span className="visually-hidden">Status: </span>
              {state.label}
            </span>
          ) : null}{" "}
          {url ? <a href={url}>{address}</a> : <span className="hint">{address}</span>}
        </p>
        <InstanceStateBadge state={instanceState} sentence />
      </header>
      <PlainText text={community.description} className="lead" />
      <Facts
        items={[
          ["Software", SOFTWARE_LABEL[community.software]],
          ["Plan", `${community.plan.name} (${formatResources(community.plan)})`],
          ["Monthly cost", formatMoney(community.plan.monthlyCost, community.plan.currency)],
        ]}
      />
      <FundingSlot communityId={community.id} slug={community.slug} summary={funding} />
      {community.rules ? (
        <section aria-labelledby="rules-heading">
          <h2 id="rules-heading">Rules</h2>
          <PlainText text={community.rules} />
        </section>
      ) : null}
      {community.viewerCanManage ? (
        <p>
          <Link href={`/dashboard/${community.slug}`}>Manage this community</Link>
        </p>
      ) : null}
    </article>
  );
}
