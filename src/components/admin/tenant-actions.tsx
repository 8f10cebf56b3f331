// The actions of a tenant page, each behind its confirmation. Which ones are offered follows
// the tenant's state; the server decides again when the form arrives.
import {
  changePlanAction,
  deleteTenantAction,
  exportTenantAction,
  repinImagesAction,
  retryTenantAction,
  restartTenantAction,
  resumeTenantAction,
  suspendTenantAction,
  upgradeTenantAction,
} from "@/server/admin/actions";
import { formatMoney } from "@/lib/format";
import type { TenantDetail } from "@/server/admin/tenants/get-tenant";
import { ConfirmAction } from "./confirm-action";

type Props = {
  tenant: TenantDetail;
  plans: { id: string; name: string; monthlyCost: number; currency: string; active: boolean }[];
  versions: string[];
};

export function TenantActions({ tenant, plans, versions }: Props) {
  const { community, version } = tenant;
  const hidden = { communityId: community.id, revision: String(community.revision) };
  const instance = community.instance;
  const running = instance?.phase === "RUNNING" && instance.desiredState === "RUNNING";
  const otherPlans = plans.filter((p) => p.active && p.id !== community.plan.id);
  const otherVersions = versions.filter((v) => v !== version);
  return (
    <div className="action-list">
      {community.adminSuspendedAt ? (
        <ConfirmAction
          action={resumeTenantAction}
          hidden={hidden}
          label="Resume…"
          explanation="The admin suspension ends. If the community is funded its instance starts again; otherwise it waits for funding."
          confirmLabel={`Yes, resume ${community.name}`}
        />
      ) : (
        <ConfirmAction
          action={suspendTenantAction}
          hidden={hidden}
          label="Suspend…"
          explanation="Its containers stop and its page says it is suspended (with the reason, if given). Data is kept. No hosting is charged and no contributions are taken meanwhile; funding will not start it again until an admin resumes it."
          confirmLabel={`Yes, suspend ${community.name}`}
          field={{ kind: "text", name: "reason", label: "Reason shown on its public page (optional)" }}
        />
      )}
      {running ? (
        <ConfirmAction
          action={restartTenantAction}
          hidden={hidden}
          label="Restart…"
          explanation="Every long-running container restarts (database and Redis first). The instance is unavailable for a minute or so."
          confirmLabel="Yes, restart"
        />
      ) : null}
      {otherPlans.length ? (
        <ConfirmAction
          action={changePlanAction}
          hidden={hidden}
          label="Change plan…"
          explanation={`Now on ${community.plan.name}. A running instance gets the new limits (its containers are recreated); the price applies from the next month.`}
          confirmLabel="Change plan"
          field={{ kind: "select", name: "planId", label: "New plan", options: otherPlans.map((p) => ({ value: p.id, label: `${p.name} (${formatMoney(p.monthlyCost, p.currency)} a month)` })) }}
        />
      ) : null}
      {instance && otherVersions.length ? (
        <ConfirmAction
          action={upgradeTenantAction}
          hidden={hidden}
          label="Change version…"
          explanation={`Now on ${version ?? "an unknown version"}. The new image is pulled and the app containers are recreated; the software runs its migrations. Going back to an older version may not work once migrations have run.`}
          confirmLabel="Change version"
          field={{ kind: "select", name: "version", label: "Version", options: otherVersions.map((v) => ({ value: v, label: v })) }}
        />
      ) : null}
      {instance?.lastError ? (
        <ConfirmAction
          action={retryTenantAction}
          hidden={hidden}
          label="Try again now…"
          explanation="The run waiting for its retry starts again at once, with a fresh count of attempts. Fix the cause first (see the error above)."
          confirmLabel="Try again now"
        />
      ) : null}
      {instance ? (
        <ConfirmAction
          action={repinImagesAction}
          hidden={hidden}
          label="Re-pin images…"
          explanation={`Every image of the instance (now ${Object.values(instance.images as Record<string, string>).join(", ")}) is set to what a new ${community.software.toLowerCase()} instance gets on this host today. A run waiting for a retry starts over with them; containers whose image changed are recreated; data is kept.`}
          confirmLabel="Re-pin to the current images"
        />
      ) : null}
      {instance ? (
        <ConfirmAction
          action={exportTenantAction}
          hidden={hidden}
          label="Export…"
          explanation="Queues an export job: one .tar.gz with the database dump, the configuration (its secrets included), the media and the Redis dump, and a manifest with checksums. A running instance keeps running; a stopped one has its database started for the dump and stopped again. The archive appears under Exports when it is complete."
          confirmLabel="Queue the export job"
        />
      ) : null}
      <ConfirmAction
        action={deleteTenantAction}
        hidden={hidden}
        label="Delete…"
        danger
        explanation={
          (instance
            ? "The instance and all its data (database, media, volumes) are deleted for good. "
            : "The community is deleted. ") +
          "Every contributor's subscription is cancelled at once (no further charge) and they are told why; money that still arrives is refunded. The community disappears from every page; its money records and archives stay here."
        }
        confirmLabel="Delete this tenant"
        field={{ kind: "text", name: "confirm", label: `Type “${community.slug}” to confirm` }}
        checkbox={
          instance?.provisionedAt
            ? { name: "exportFirst", label: "Export first", hint: "The archive is made before anything is deleted; if the export fails, nothing is deleted. The owner can download it from their account afterwards; they cannot bring the community back after a deletion by the host." }
            : undefined
        }
      />
    </div>
  );
}
