import type { Metadata } from "next";
import { TenantFilters } from "@/components/admin/tenant-filters";
import { TenantTable } from "@/components/admin/tenant-table";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { tenantListParamsSchema } from "@/server/admin/tenants/list-params";
import { listTenants } from "@/server/admin/tenants/list-tenants";
import { listPlansForAdmin } from "@/server/plans/manage-plans";
import { ImageAvailabilityCard } from "@/components/admin/image-availability-card";
import { imageAvailability } from "@/server/provisioning/image-availability";

export const metadata: Metadata = { title: "Tenants" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DELETED: Record<string, string> = {
  removed: "The tenant was deleted.",
  instance: "The tenant was deleted: its instance is being taken down and its contributions are cancelled.",
  closed: "The tenant was deleted: its contributions are cancelled.",
};

export default async function AdminTenantsPage({ searchParams }: Props) {
  const actor = await hostAdminOrNotFound("admin.dashboard");
  const raw = await searchParams;
  const params = tenantListParamsSchema.parse(raw);
  const [page, plans, images] = await Promise.all([
    listTenants(actor, params),
    listPlansForAdmin(actor),
    // Checked again when the last check is over a minute old (the worker checks at start).
    imageAvailability(60_000).catch(() => null),
  ]);
  const deleted = typeof raw.deleted === "string" ? DELETED[raw.deleted] : undefined;
  return (
    <>
      <h1>Tenants</h1>
      {deleted ? (
        <p role="status" className="form-ok">
          {deleted}
        </p>
      ) : null}
      <ImageAvailabilityCard availability={images} />
      <TenantFilters params={params} plans={plans} />
      <TenantTable page={page} params={params} />
    </>
  );
}
