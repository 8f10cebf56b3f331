// The tenant table: one row per tenant, sortable column headers (links, so no JavaScript is
// needed), and keyset "previous / next" links.
import Link from "next/link";
import { StatusBadge } from "@/components/community/status-badge";
import { PHASE_LABEL, SOFTWARE_LABEL } from "@/components/labels";
import { formatDate, formatMoney } from "@/lib/format";
import { tenantListHref, type TenantListParams } from "@/server/admin/tenants/list-params";
import type { TenantPage, TenantRow } from "@/server/admin/tenants/list-tenants";
import { FUNDING_LABEL, formatMonths, LOAD_LABEL, percent } from "./labels";

type SortKey = TenantListParams["sort"];

function SortHeader({ params, sort, children }: { params: TenantListParams; sort: SortKey; children: string }) {
  const active = params.sort === sort;
  const dir = active && params.dir === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (params.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={tenantListHref(params, { sort: sort === "name" ? undefined : sort, dir: dir === "asc" ? undefined : dir })}>
        {children}
        <span aria-hidden="true">{active ? (params.dir === "asc" ? " ▲" : " ▼") : ""}</span>
        <span className="visually-hidden">{active ? `, sorted ${params.dir === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
      </Link>
    </th>
  );
}

function Funding({ funding }: { funding: TenantRow["funding"] }) {
  return (
    <>
      {FUNDING_LABEL[funding.state] ?? funding.state}
      <div className="hint">
        {funding.state === "GRACE" && funding.graceEndsAt
          ? `Grace ends ${formatDate(funding.graceEndsAt)}`
          : funding.coveredUntil
            ? `${formatMonths(funding.runwayMonths)} left`
            : funding.runwayMonths > 0
              ? `${formatMonths(funding.runwayMonths)} in hand`
              : "No runway"}
      </div>
    </>
  );
}

function Load({ load }: { load: TenantRow["load"] }) {
  if (!load) return <span className="hint">Not measured</span>;
  return (
    <>
      <span className={`status load-${load.state.toLowerCase().replace("_", "-")}`}>{LOAD_LABEL[load.state] ?? load.state}</span>
      <div className="hint">
        CPU {percent(load.cpuShare)} · memory {percent(load.memoryShare)}
      </div>
    </>
  );
}

export function TenantTable({ page, params }: { page: TenantPage; params: TenantListParams }) {
  return (
    <>
      <p role="status">
        {page.total === 1 ? "1 tenant matches." : `${page.total.toLocaleString("en")} tenants match.`}
        {page.total > 0 ? ` Showing ${page.rows.length}.` : ""}
      </p>
      {page.rows.length > 0 ? (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Tenants</caption>
            <thead>
              <tr>
                <SortHeader params={params} sort="name">
                  Tenant
                </SortHeader>
                <SortHeader params={params} sort="status">
                  Status
                </SortHeader>
                <th scope="col">Software</th>
                <SortHeader params={params} sort="plan">
                  Plan
                </SortHeader>
                <th scope="col">Funding</th>
                <SortHeader params={params} sort="load">
                  Load
                </SortHeader>
                <th scope="col">Host</th>
                <SortHeader params={params} sort="created">
                  Started
                </SortHeader>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row">
                    <Link href={`/admin/tenants/${row.id}`}>{row.name}</Link>
                    <div className="hint">{row.slug}</div>
                  </th>
                  <td>
                    {/* A deleted tenant is that and nothing else: its last status and load are history. */}
                    {row.deleted ? <span className="status">Deleted</span> : <StatusBadge status={row.status} />}
                    {row.deleted ? null : row.adminSuspended ? <div className="hint">Suspended by an admin</div> : null}
                    {row.phase && row.phase !== "RUNNING" && row.phase !== "STOPPED" && !(row.deleted && row.phase === "DELETED") ? (
                      <div className="hint">{PHASE_LABEL[row.phase]}</div>
                    ) : null}
                  </td>
                  <td>
                    {SOFTWARE_LABEL[row.software]}
                    <div className="hint">{row.version ?? "not set up"}</div>
                  </td>
                  <td>
                    {row.plan.name}
                    <div className="hint">{formatMoney(row.plan.monthlyCost, row.plan.currency)} a month</div>
                  </td>
                  <td>
                    <Funding funding={row.funding} />
                  </td>
                  <td>{row.deleted ? <span className="hint">None</span> : <Load load={row.load} />}</td>
                  <td>{row.host ?? <span className="hint">none</span>}</td>
                  <td>{formatDate(row.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No tenant matches. Change the search or the filters.</p>
      )}
      <nav aria-label="Pages" className="pager">
        {page.previous ? <Link href={tenantListHref(params, { before: page.previous })}>← Previous</Link> : null}
        {params.after || params.before ? <Link href={tenantListHref(params, {})}>First page</Link> : null}
        {page.next ? <Link href={tenantListHref(params, { after: page.next })}>Next →</Link> : null}
      </nav>
    </>
  );
}
