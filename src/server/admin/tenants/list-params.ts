// The admin tenant table's URL: search, filters, sort and page, parsed with zod. Anything
// unknown or malformed falls back to the default instead of failing the page: a mistyped
// URL shows the first page, never an error.
import { z } from "zod";

export const SORTS = ["name", "created", "status", "plan", "load"] as const;
export const PAGE_SIZES = [25, 50, 100] as const;
// ATTENTION: instances whose last run failed or gave up (e.g. images that cannot be had).
export const STATUS_FILTERS = ["ATTENTION", "DRAFT", "AWAITING_FUNDING", "PROVISIONING", "LIVE", "SUSPENDED", "DELETED"] as const;
export const FUNDING_FILTERS = ["AWAITING_FUNDING", "FUNDED", "GRACE", "SUSPENDED", "CLOSED"] as const;
export const LOAD_FILTERS = ["HEALTHY", "HEAVY_LOAD", "UNHEALTHY", "DOWN", "UNKNOWN"] as const;
export const SOFTWARE_FILTERS = ["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"] as const;

const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const text = (max: number) =>
  z.preprocess(
    (value) => {
      const v = first(value);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
    },
    z.string().max(max).optional(),
  );

// Keyset cursor: the sort value and the id of the row the page starts after (or before).
const cursorSchema = z.tuple([z.union([z.string().max(200), z.number()]), z.string().min(1).max(40)]);
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(value: unknown): Cursor | undefined {
  if (typeof value !== "string" || value.length > 400) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const tenantListParamsSchema = z.object({
  q: lenient(text(100)),
  status: lenient(z.preprocess(first, z.enum(STATUS_FILTERS))),
  software: lenient(z.preprocess(first, z.enum(SOFTWARE_FILTERS))),
  plan: lenient(text(40)),
  funding: lenient(z.preprocess(first, z.enum(FUNDING_FILTERS))),
  load: lenient(z.preprocess(first, z.enum(LOAD_FILTERS))),
  sort: z.preprocess(first, z.enum(SORTS)).catch("name"),
  dir: z.preprocess(first, z.enum(["asc", "desc"])).catch("asc"),
  size: z.preprocess((v) => Number(first(v)), z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>])).catch(25),
  after: z.preprocess((v) => decodeCursor(first(v)), cursorSchema.optional()).catch(undefined),
  before: z.preprocess((v) => decodeCursor(first(v)), cursorSchema.optional()).catch(undefined),
});

export type TenantListParams = z.output<typeof tenantListParamsSchema>;

/** The URL of the table with some parameters changed (the rest kept, the page reset unless given). */
export function tenantListHref(params: TenantListParams, change: Partial<Record<keyof TenantListParams, string | number | undefined>>): string {
  const keep: Record<string, string | number | undefined> = {
    q: params.q,
    status: params.status,
    software: params.software,
    plan: params.plan,
    funding: params.funding,
    load: params.load,
    sort: params.sort === "name" ? undefined : params.sort,
    dir: params.dir === "asc" ? undefined : params.dir,
    size: params.size === 25 ? undefined : params.size,
    ...change,
  };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(keep)) if (value !== undefined && value !== "") search.set(key, String(value));
  const query = search.toString();
  return query ? `/admin?${query}` : "/admin";
}
