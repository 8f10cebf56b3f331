import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FundingSlot } from "@/components/community/funding-slot";
import { InstanceStatus } from "@/components/community/instance-status";
import { AdminCredentials } from "@/components/dashboard/admin-credentials";
import { ActionButton } from "@/components/dashboard/action-button";
import { InstanceTimelineView } from "@/components/instance-timeline";
import { PdsInvites } from "@/components/dashboard/pds-invites";
import { ExportsList } from "@/components/exports-list";
import { CommunityLoadPanel } from "@/components/load/community-load-panel";
import { communityWhere } from "@/server/auth/community-access";
import { loadRangeSchema } from "@/server/metrics/load-ranges";
import { getInstanceTimeline } from "@/server/provisioning/get-instance-timeline";
import { requestExportAction, requestRestoreAction, requestVerifyAction } from "@/server/exports/actions";
import { SOFTWARE_LABEL } from "@/components/labels";
import { formatMoney, formatResources } from "@/lib/format";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getDashboardCommunity } from "@/server/communities/get-dashboard-community";
import { instanceAddress } from "@/server/provisioning";
import { EXPORTS_KEPT } from "@/server/exports/exports-dir";
import { latestExport } from "@/server/exports/request-export";
import { latestArchiveOperation } from "@/server/exports/request-restore";
import { listVerifiedExports } from "@/server/exports/verify-export";
import { moveInState } from "@/server/exports/move-in-state";
import { MoveInCard } from "@/components/dashboard/move-in-card";
import { InstanceMailCard } from "@/components/dashboard/instance-mail-card";
import { OwnDomainCard } from "@/components/dashboard/own-domain-card";
import { env } from "@/server/config/env";
import { domainTarget, ownDomainAddresses } from "@/server/domains";
import { getInstanceMailView } from "@/server/mail/get-instance-mail-view";

const EXPORT_STATE = { QUEUED: "Export waiting to start", RUNNING: "Export running", FAILED: "The last export failed", SUCCEEDED: "Exported" } as const;

export const metadata: Metadata = { title: "Community dashboard" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ created?: string; range?: string }> };

export default async function CommunityOverviewPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const actor = await actorOrSignIn(`/dashboard/${slug}`);
  const found = await getDashboardCommunity(actor, slug);
  if (!found) notFound();
  const { community, permissions } = found;
  const { created, range } = await searchParams;
  const timeline = await getInstanceTimeline(community.id, actor);
  const address = await instanceAddress(community);
  // Only the owner may export and download (archives hold the instance's secrets); the route and the action check again.
  const canExport = permissions.includes("instance.export");
  const canRestore = permissions.includes("instance.restore");
  const [exports, lastExport, lastArchiveOp] = canExport
    ? await Promise.all([listVerifiedExports(community.id), latestExport(community.id), latestArchiveOperation(community.id)])
    : [[], null, null];
  const moveIn = canRestore ? await moveInState(community.id) : null;
  const mail = permissions.includes("instance.manage") ? await getInstanceMailView(community) : null;
  const target = community.domainOwn ? domainTarget(env()) : null;
  // The records to create are shown only until the domain is verified: look the addresses up only then.
  const addresses = target && !community.domainVerifiedAt ? await ownDomainAddresses() : null;
  return (
    <>
      <div role="status">
        {created ? (
          <p className="form-ok">
            Your community is started. Share its public page so members can fund it; the server is set up once the
            monthly cost is covered.
          </p>
        ) : null}
      </div>
      <div className="grid-2">
        <InstanceStatus status={community.status} address={address.domain} url={address.url} />
        <section className="card" aria-labelledby="plan-heading">
          <h2 id="plan-heading">Plan</h2>
          <p>
            {community.plan.name}: {formatResources(community.plan)}
          </p>
          <p>
            {formatMoney(community.plan.monthlyCost, community.plan.currency)} a month · {SOFTWARE_LABEL[community.software]} ·{" "}
            {community._count.memberships} {community._count.memberships === 1 ? "member" : "members"}
          </p>
        </section>
      </div>
      {target && community.domain ? (
        <OwnDomainCard
          slug={community.slug}
          domain={community.domain}
          verifiedAt={community.domainVerifiedAt}
          hostName={target.host.name}
          addresses={addresses}
          caIdentity={target.caIdentity}
          canCheck={permissions.includes("community.write")}
        />
      ) : null}
      {moveIn && community.domain && (moveIn.open || !moveIn.restored) ? (
        <MoveInCard slug={community.slug} domain={community.domain} software={SOFTWARE_LABEL[community.software]} packable={community.software !== "BLUESKY_PDS"} {...moveIn} />
      ) : null}
      {timeline ? (
        <div className="card">
          <InstanceTimelineView timeline={timeline} audience="organiser" />
        </div>
      ) : null}
      {community.software === "BLUESKY_PDS" && timeline?.phase === "RUNNING" && permissions.includes("instance.manage") && community.domain ? (
        <PdsInvites actor={actor} slug={community.slug} domain={community.domain} openSignUp={community.pdsOpenSignUp} />
      ) : null}
      {timeline?.adminCredentials === "ready" && permissions.includes("instance.credentials") ? (
        <AdminCredentials slug={community.slug} />
      ) : null}
      {community.status === "LIVE" && permissions.includes("instance.read") ? (
        <CommunityLoadPanel
          communityId={community.id}
          range={loadRangeSchema.parse(range)}
          access={communityWhere(actor, "instance.read")}
          basePath={`/dashboard/${slug}`}
        />
      ) : null}
      {canExport && (timeline || exports.length) ? (
        <section className="card" aria-labelledby="exports-heading">
          <h2 id="exports-heading">Exports</h2>
          <p className="hint">
            Everything needed to move the instance elsewhere: database dump, configuration with its secrets, media. Keep
            these files private. The {EXPORTS_KEPT} newest are kept here.
          </p>
          {lastExport && lastExport.state !== "SUCCEEDED" ? (
            <p role="status">
              {EXPORT_STATE[lastExport.state]}
              {lastExport.state === "FAILED" ? `: ${lastExport.error ?? "no reason recorded"}` : lastExport.detail ? `: ${lastExport.detail}` : ""}
            </p>
          ) : null}
          {lastArchiveOp ? (
            <p role="status" className={lastArchiveOp.failed ? "form-error" : undefined}>
              {lastArchiveOp.text}
            </p>
          ) : null}
          <ExportsList
            archives={exports}
            href={(name) => `/dashboard/${community.slug}/exports/${name}`}
            actions={
              timeline && !lastArchiveOp?.open
                ? (name) => (
                    <>
                      <ActionButton action={requestVerifyAction} fields={{ community: community.slug, archive: name }} label="Verify" accessibleLabel={`Verify ${name}`} />
                      {canRestore && community.status === "LIVE" && !timeline.settling ? (
                        <ActionButton
                          action={requestRestoreAction}
                          fields={{ community: community.slug, archive: name }}
                          label="Restore"
                          accessibleLabel={`Restore ${name}: replaces the server's data; its current state is exported first`}
                        />
                      ) : null}
                    </>
                  )
                : undefined
            }
          />
          {timeline && timeline.settling ? (
            <p className="hint">An export can be asked for once the server has settled: it is being set up or changed now.</p>
          ) : timeline && lastExport?.state !== "QUEUED" && lastExport?.state !== "RUNNING" ? (
            <ActionButton action={requestExportAction} fields={{ community: community.slug }} label="Export now" />
          ) : null}
        </section>
      ) : null}
      {mail ? <InstanceMailCard view={mail} /> : null}
      <FundingSlot
        communityId={community.id}
        slug={community.slug}
        monthlyCost={community.plan.monthlyCost}
        currency={community.plan.currency}
      />
    </>
  );
}
