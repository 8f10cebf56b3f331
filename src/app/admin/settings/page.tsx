import type { Metadata } from "next";
import { deletePlanAction } from "@/server/plans/actions";
import { ConfirmAction } from "@/components/admin/confirm-action";
import { PlanForm } from "@/components/admin/plan-form";
import { ReleasesCard } from "@/components/admin/releases-card";
import { SettingsForm } from "@/components/admin/settings-form";
import { formatMoney, formatResources } from "@/lib/format";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { listPlansForAdmin } from "@/server/plans/manage-plans";
import { getDiskEnforcement } from "@/server/metrics/disk-enforcement";
import { getReleaseCheck } from "@/server/releases/get-release-check";
import { getHostSettings } from "@/server/settings/host-settings";
import { InstanceRelayForm } from "@/components/admin/instance-relay-form";
import { getInstanceRelay } from "@/server/mail/instance-mail";

export const metadata: Metadata = { title: "Plans and settings" };

export default async function AdminSettingsPage() {
  const actor = await hostAdminOrNotFound("admin.dashboard");
  const [plans, settings, relay, releases, disk] = await Promise.all([listPlansForAdmin(actor), getHostSettings(), getInstanceRelay(), getReleaseCheck(), getDiskEnforcement()]);
  return (
    <>
      <h1>Plans and settings</h1>
      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading">Plans and prices</h2>
        <ul className="card-list">
          {plans.map((plan) => (
            <li key={plan.id} className="card">
              <h3>
                {plan.name} <span className="hint">({plan.slug})</span> {plan.active ? null : <span className="status">Deactivated</span>}
              </h3>
              <p className="hint">
                {formatMoney(plan.monthlyCost, plan.currency)} a month · {formatResources(plan)} ·{" "}
                {plan._count.communities === 1 ? "1 community" : `${plan._count.communities} communities`}
              </p>
              <details>
                <summary>Edit {plan.name}</summary>
                <PlanForm
                  currency={plan.currency}
                  plan={{ ...plan, updatedAt: plan.updatedAt.toISOString() }}
                />
              </details>
              {plan._count.communities === 0 ? (
                <ConfirmAction
                  action={deletePlanAction}
                  hidden={{ planId: plan.id }}
                  label="Delete…"
                  danger
                  explanation={`No community uses ${plan.name}. Deleting it cannot be undone.`}
                  confirmLabel={`Yes, delete ${plan.name}`}
                />
              ) : (
                <p className="hint">In use, so it cannot be deleted; deactivate it to stop offering it.</p>
              )}
            </li>
          ))}
        </ul>
        <details className="card">
          <summary>New plan</summary>
          <PlanForm currency={settings.currency} />
        </details>
      </section>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Host settings</h2>
        <SettingsForm {...settings} />
      </section>
      <section aria-labelledby="instance-mail-heading">
        <h2 id="instance-mail-heading">Mail for instances</h2>
        <p>The relay the communities&apos; own servers send their mail through (confirmations, password resets).</p>
        <InstanceRelayForm relay={relay} />
      </section>
      <section aria-labelledby="releases-heading">
        <h2 id="releases-heading">Software releases</h2>
        <ReleasesCard check={releases} />
      </section>
      <section aria-labelledby="disk-heading">
        <h2 id="disk-heading">Disk limits</h2>
        <p>{disk.measured}</p>
        <p>{disk.volumes}</p>
        <p>{disk.layers}</p>
      </section>
    </>
  );
}
