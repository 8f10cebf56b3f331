import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PlainText } from "@/components/community/plain-text";
import { DeleteCommunityForm } from "@/components/dashboard/delete-community-form";
import { SettingsForm } from "@/components/dashboard/settings-form";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getDashboardCommunity } from "@/server/communities/get-dashboard-community";
import { deletionPreview } from "@/server/communities/deletion-preview";

export const metadata: Metadata = { title: "Community settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await actorOrSignIn(`/dashboard/${slug}/settings`);
  const found = await getDashboardCommunity(actor, slug);
  if (!found) notFound();
  const { community, permissions } = found;
  const canDelete = permissions.includes("community.delete");
  const preview = canDelete ? await deletionPreview(community.id) : null;
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
      {preview ? (
        <section aria-labelledby="delete-heading" className="danger-zone">
          <h2 id="delete-heading">Delete the community</h2>
          <p>
            {preview.hasServer ? "Its server and all its data (posts, accounts, media) are deleted. " : ""}
            The community, its members and invitations go. It cannot be undone.
          </p>
          {preview.supporters > 0 ? (
            <p>
              {preview.supporters === 1 ? "Its supporter's monthly contribution is" : `The monthly contributions of its ${preview.supporters} supporters are`}{" "}
              cancelled at once and they are told why.{" "}
              {preview.refundsAll
                ? "The server never went live, so everything contributed is refunded."
                : "Hosting already paid for is not refunded; anything paid after the deletion is."}
            </p>
          ) : null}
          <DeleteCommunityForm slug={community.slug} canExport={preview.hasServer} />
        </section>
      ) : null}
    </>
  );
}
