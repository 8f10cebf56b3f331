import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DashboardTabs } from "@/components/dashboard/dashboard-tabs";
import { ROLE_LABEL } from "@/components/labels";
import { getActor } from "@/server/auth/current-actor";
import { getDashboardCommunity } from "@/server/communities/get-dashboard-community";

// Frames every dashboard page of a community. Each page checks its own permission too:
// a layout does not guard the page or the actions under it.
export default async function CommunityDashboardLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  // Signed out: the page itself redirects to sign-in with its own address to come back to.
  const actor = await getActor();
  if (!actor) return children;
  const found = await getDashboardCommunity(actor, slug);
  if (!found) notFound();
  const { community, role } = found;
  return (
    <section>
      <p className="breadcrumb">
        <Link href="/dashboard">Your communities</Link>
      </p>
      <h1>{community.name}</h1>
      <p className="hint">
        {role ? `You are ${ROLE_LABEL[role].toLowerCase()} of this community.` : "You see this community as a host admin."}{" "}
        <Link href={`/c/${community.slug}`}>Public page</Link>
      </p>
      <DashboardTabs slug={community.slug} />
      {children}
    </section>
  );
}
