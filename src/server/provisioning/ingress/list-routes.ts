// The ingress's routes, from the database: every community that is not deleted gets its domain
// routed (own domains only once verified). A running instance whose app processes are up goes
// to them; the others get a page from the ingress (being set up, waiting for funding, paused).
import "server-only";
import { db } from "@/server/db/client";
import { INGRESS_ROUTING } from "@/server/provisioning/templates";
import { objectName } from "@/server/provisioning/naming";
import { publicUrl } from "@/server/site/public-url";
import { ingressPage, type PageKind } from "./pages";
import type { IngressRoute } from "./render-config";

export async function listRoutes(installationId: string): Promise<IngressRoute[]> {
  const communities = await db.community.findMany({
    where: { deletedAt: null, domain: { not: null }, OR: [{ domainOwn: false }, { domainVerifiedAt: { not: null } }] },
    select: {
      id: true,
      slug: true,
      name: true,
      software: true,
      status: true,
      domain: true,
      domainOwn: true,
      instance: { select: { desiredState: true, routedAt: true } },
    },
  });
  const routes: IngressRoute[] = [];
  for (const c of communities) {
    if (!c.domain || c.instance?.desiredState === "DELETED") continue;
    const routing = INGRESS_ROUTING[c.software];
    const base = { tenantId: c.id, domain: c.domain, subdomains: routing.subdomains ?? false, onDemand: c.domainOwn || (routing.subdomains ?? false) };
    const tenant = { installationId, tenantId: c.id, slug: c.slug };
    if (c.instance?.desiredState === "RUNNING" && c.instance.routedAt) {
      routes.push({
        ...base,
        target: {
          kind: "live",
          bodyLimitBytes: routing.bodyLimitMb * 1024 * 1024,
          upstreams: routing.upstreams.map((u) => ({ paths: u.paths, dial: `${objectName(tenant, u.component)}:${u.port}` })),
        },
      });
      continue;
    }
    const kind: PageKind = !c.instance
      ? "awaiting-funding"
      : c.instance.desiredState === "STOPPED"
        ? "paused"
        : "setting-up";
    routes.push({ ...base, target: { kind: "page", status: 503, html: ingressPage(kind, { name: c.name, fundingUrl: publicUrl(`/c/${c.slug}`) }) } });
  }
  return routes;
}
