// The table's search and filters: a plain GET form, so it works without JavaScript and
// every view has its own URL.
import { SOFTWARE_LABEL, STATUS_LABEL } from "@/components/labels";
import { FUNDING_FILTERS, LOAD_FILTERS, PAGE_SIZES, SOFTWARE_FILTERS, SORTS, STATUS_FILTERS, type TenantListParams } from "@/server/admin/tenants/list-params";
import { FUNDING_LABEL, LOAD_LABEL } from "./labels";

const SORT_LABEL: Record<(typeof SORTS)[number], string> = { name: "Name", created: "Started", status: "Status", plan: "Plan price", load: "Load" };

function Select({ name, label, value, options }: { name: string; label: string; value?: string | number; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value === undefined ? "" : String(value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TenantFilters({ params, plans }: { params: TenantListParams; plans: { slug: string; name: string }[] }) {
  const any = (label: string): [string, string] => ["", label];
  return (
    <form method="get" action="/admin" className="filters" role="search" aria-label="Tenants">
      <div className="field">
        <label htmlFor="filter-q">Search</label>
        <input id="filter-q" name="q" type="search" defaultValue={params.q ?? ""} maxLength={100} placeholder="Name or address" />
      </div>
      <Select
        name="status"
        label="Status"
        value={params.status}
        options={[any("Any"), ...STATUS_FILTERS.map((s): [string, string] => [s, s === "DELETED" ? "Deleted" : s === "ATTENTION" ? "Needs attention" : STATUS_LABEL[s]])]}
      />
      <Select name="software" label="Software" value={params.software} options={[any("Any"), ...SOFTWARE_FILTERS.map((s): [string, string] => [s, SOFTWARE_LABEL[s]])]} />
      <Select name="plan" label="Plan" value={params.plan} options={[any("Any"), ...plans.map((p): [string, string] => [p.slug, p.name])]} />
      <Select name="funding" label="Funding" value={params.funding} options={[any("Any"), ...FUNDING_FILTERS.map((s): [string, string] => [s, FUNDING_LABEL[s]!])]} />
      <Select name="load" label="Load" value={params.load} options={[any("Any"), ...LOAD_FILTERS.map((s): [string, string] => [s, LOAD_LABEL[s]!])]} />
      <Select name="sort" label="Sort by" value={params.sort} options={SORTS.map((s) => [s, SORT_LABEL[s]])} />
      <Select name="dir" label="Order" value={params.dir} options={[["asc", "Ascending"], ["desc", "Descending"]]} />
      <Select name="size" label="Per page" value={params.size} options={PAGE_SIZES.map((n) => [String(n), String(n)])} />
      <div className="filters-actions">
        <button type="submit">Show</button>
        <a href="/admin">Clear</a>
      </div>
    </form>
  );
}
