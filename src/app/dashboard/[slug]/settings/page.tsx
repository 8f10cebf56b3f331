import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PlainText } from "@/components/community/plain-text";
import { DeleteCommunityForm } from "@/components/dashboard/delete-community-form";
import { SettingsForm } from "@/components/dashboard/settings-form";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getDashboardCommunity } from "@/server/communities/get-dashboard-community";

export const metadata: Metadata = { title: "Community settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await actorOrSignIn(`/dashboard/${slug}/settings`);
  const found = await getDashboardCommunity(actor, slug);
  if (!found) notFound();
  const { community, permissions } = found;
  const deletable = community.status === "DRAFT" || community.status === "AWAITING_FUNDING";
  return (
    <>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        {permissions.includes("community.write") ? (
          <SettingsForm slug={community.slug} name={community.name} description={community.description} rules={community.rules} />
        ) : (
          <>
            <p className="hint">Only the owner and admins can change these.</p>
            <h3>Description</h3>
            <PlainText text={community.description || "None yet."} />
            <h3>Rules</h3>
            <PlainText text={community.rules || "None yet."} />
          </>
        )}
      </section>
      {permissions.includes("community.delete") ? (
        <section aria-labelledby="delete-heading" className="danger-zone">
          <h2 id="delete-heading">Delete the community</h2>
          {deletable ? (
            <>
              <p>This removes the community, its members and invitations. It cannot be undone.</p>
              <DeleteCommunityForm slug={community.slug} />
            </>
          ) : (
            <p>This community has an instance: export it and take it down before deleting the community.</p>
          )}
        </section>
      ) : null}
    </>
  );
}
