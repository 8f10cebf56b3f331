import { Facts } from "@/components/facts";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditLog } from "@/components/admin/audit-log";
import { ContainersCard } from "@/components/admin/containers-card";
import { ExportsList } from "@/components/exports-list";
import { FundingCard } from "@/components/admin/funding-card";
import { formatDateTime } from "@/components/admin/labels";
import { PHASE_LABEL, ROLE_LABEL, SOFTWARE_LABEL } from "@/components/labels";
import { LogViewer } from "@/components/admin/log-viewer";
import { TenantActions } from "@/components/admin/tenant-actions";
import { StatusBadge } from "@/components/community/status-badge";
import { InstanceTimelineView } from "@/components/instance-timeline";
import { formatDate, formatMoney, formatResources } from "@/lib/format";
import { CommunityLoadPanel } from "@/components/load/community-load-panel";
import { tenantFunding } from "@/server/funding";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { getTenant } from "@/server/admin/tenants/get-tenant";
import { listVerifiedExports } from "@/server/exports/verify-export";
import { ActionButton } from "@/components/dashboard/action-button";
import { restoreTenantAction, verifyExportAction } from "@/server/admin/actions";
import { tenantContainers } from "@/server/admin/tenants/tenant-containers";
import { loadRangeSchema } from "@/server/metrics/load-ranges";
import { listPlansForAdmin } from "@/server/plans/manage-plans";
import { getInstanceTimeline } from "@/server/provisioning/get-instance-timeline";
import { getHostSettings } from "@/server/settings/host-settings";
import { DemoClockForm } from "@/components/admin/demo-clock-form";
import { demoClockOf } from "@/server/funding/demo-clock";

export const metadata: Metadata = { title: "Tenant" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ range?: string }> };

const OPERATION: Record<string, string> = { RESTART: "Restart", EXPORT: "Export", RESTORE: "Restore", VERIFY: "Verify" };
const OPERATION_STATE: Record<string, string> = { QUEUED: "Queued", RUNNING: "Running", SUCCEEDED: "Done", FAILED: "Failed" };

export default async function AdminTenantPage({ params, searchParams }: Props) {
  const actor = await hostAdminOrNotFound("admin.dashboard");
  const { id } = await params;
  const tenant = await getTenant(actor, id);
  if (!tenant) notFound();
  const { community } = tenant;
  const range = loadRangeSchema.parse((await searchParams).range);
  const [containers, timeline, funding, plans, settings, exports, clock] = await Promise.all([
    tenantContainers(community.id),
    getInstanceTimeline(community.id, actor, { runs: 5, includeDeleted: true }),
    tenantFunding(community.id),
    listPlansForAdmin(actor),
    getHostSettings(),
    listVerifiedExports(community.id),
    demoClockOf(community.id),
  ]);
  const components = containers.ok ? [...new Set(containers.containers.map((c) => c.component))] : [];
  return (
    <article className="stack tenant">
      <p className="breadcrumb">
        <Link href="/admin">All tenants</Link>
      </p>
      <header>
        <h1>{community.name}</h1>
        <p>
          {community.deletedAt ? (
            <span className="status">
              <span className="visually-hidden">Status: </span>Deleted
            </span>
          ) : (
            <StatusBadge status={community.status} />
          )}{" "}
          <span className="hint">{community.slug}</span>{" "}
          {community.deletedAt ? <strong>Deleted {formatDateTime(community.deletedAt)}</strong> : null}
          {community.adminSuspendedAt ? <strong>Suspended by an admin since {formatDateTime(community.adminSuspendedAt)}</strong> : null}{" "}
          {!community.deletedAt ? <Link href={`/c/${community.slug}`}>Public page</Link> : null}
        </p>
        {tenant.takenBack ? (
          <p>
            Its address “{tenant.takenBack.slug}” and domain {tenant.takenBack.domain} went to{" "}
            <Link href={`/admin/tenants/${tenant.takenBack.by.id}`}>{tenant.takenBack.by.name}</Link>, which its owner started to
            move its export back in.
          </p>
        ) : null}
      </header>
      <Facts
        items={[
          ["Software", `${SOFTWARE_LABEL[community.software]} ${tenant.version ?? ""}`],
          [
            "Plan",
            <>
              {community.plan.name}, {formatMoney(community.plan.monthlyCost, community.plan.currency)} a month
              <div className="hint">{formatResources(community.plan)}</div>
            </>,
          ],
          [
            "Instance",
            <>
              {community.instance ? PHASE_LABEL[community.instance.phase] : "Not set up"}
              {community.instance?.lastError ? <div className="form-error">{community.instance.lastError}</div> : null}
            </>,
          ],
          ["Owner", community.owner.email],
          ["Started", formatDate(community.createdAt)],
        ]}
      />

      {!community.deletedAt ? (
        <section aria-labelledby="actions-heading" className="card">
          <h2 id="actions-heading">Actions</h2>
          <TenantActions tenant={tenant} plans={plans} versions={settings.versions[community.software]} />
        </section>
      ) : null}

      <section aria-labelledby="containers-heading" className="card">
        <h2 id="containers-heading">Containers</h2>
        <ContainersCard result={containers} />
        <h3>Live logs</h3>
        {components.length ? <LogViewer tenantId={community.id} components={components} /> : <p>No containers to read logs from.</p>}
      </section>

      <section aria-labelledby="jobs-heading" className="card">
        <h2 id="jobs-heading">Jobs</h2>
        {tenant.operations.length === 0 ? (
          <p>No restart or export has been asked for.</p>
        ) : (
          <ul className="card-list">
            {tenant.operations.map((op) => (
              <li key={op.id}>
                <strong>{OPERATION[op.kind]}</strong> <span className="status">{OPERATION_STATE[op.state]}</span>{" "}
                <span className="hint">asked {formatDateTime(op.createdAt)}</span>
                {op.detail ? <div className="hint">{op.detail}</div> : null}
                {op.error ? <div className="form-error">{op.error}</div> : null}
              </li>
            ))}
          </ul>
        )}
        <h3>Exports</h3>
        <ExportsList
          archives={exports}
          href={(name) => `/admin/tenants/${community.id}/exports/${name}`}
          actions={(name) => (
            <>
              <ActionButton action={verifyExportAction} fields={{ communityId: community.id, revision: String(community.revision), archive: name }} label="Verify" accessibleLabel={`Verify ${name}`} />
              <ActionButton
                action={restoreTenantAction}
                fields={{ communityId: community.id, revision: String(community.revision), archive: name }}
                label="Restore"
                accessibleLabel={`Restore ${name}: replaces the instance's data; its current state is exported first`}
              />
            </>
          )}
        />
        <h3>Provisioning</h3>
        {timeline ? <InstanceTimelineView timeline={timeline} headingLevel={3} /> : <p>No instance yet: it is set up once the community is funded.</p>}
      </section>

      <section aria-labelledby="load-heading" className="card">
        <h2 id="load-heading">Load</h2>
        <CommunityLoadPanel communityId={community.id} range={range} access={{}} basePath={`/admin/tenants/${community.id}`} />
      </section>

      <section aria-labelledby="funding-heading" className="card">
        <h2 id="funding-heading">Funding</h2>
        <FundingCard funding={funding} />
        {clock.available && !community.deletedAt ? (
          <>
            <h3>Demo clock</h3>
            <p className="hint">
              This Hearth uses the local Stripe emulator, so time can be moved for a demonstration. The community&apos;s
              funding time is {clock.now.toISOString().slice(0, 16).replace("T", " ")} UTC
              {clock.offsetSeconds > 0 ? `, ${Math.round(clock.offsetSeconds / 86_400)} days ahead of real time` : ""}.
            </p>
            <DemoClockForm communityId={community.id} />
          </>
        ) : null}
      </section>

      <section aria-labelledby="members-heading" className="card">
        <h2 id="members-heading">Members ({tenant.memberCount})</h2>
        <ul className="card-list">
          {tenant.members.map((m) => (
            <li key={m.id}>
              {m.user.name ?? m.user.email} <span className="hint">{m.user.email}</span> <span className="status">{ROLE_LABEL[m.role]}</span>{" "}
              <span className="hint">since {formatDate(m.createdAt)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="audit-heading" className="card">
        <h2 id="audit-heading">Audit log</h2>
        <AuditLog events={tenant.audit} />
      </section>
    </article>
  );
}
