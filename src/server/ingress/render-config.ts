// The whole ingress configuration (Caddy's JSON) from Hearth's routes: one HTTPS server whose
// routes match each instance's host names, certificates managed for the host's subdomains and
// issued on demand for own domains (each asked of the list of allowed names first), and the
// admin API on the container's loopback only (tenants share networks with the ingress). Pure:
// the same routes always give the same document, which is what makes re-applying it free.
import type { Issuer } from "./settings";

export const ADMIN_ADDRESS = "127.0.0.1:2019";
// Caddy asks this before it requests an on-demand certificate; served by the ingress itself
// from the same routes, so it works on a remote engine with no way back to Hearth.
export const ASK_ADDRESS = "127.0.0.1:2020";
/** Where Hearth writes the configuration inside the container before loading it. */
export const CONFIG_PATH = "/config/hearth/caddy.json";
export const ACME_ROOTS_PATH = "/config/hearth/acme-roots.pem";

export type Upstream = { paths?: string[]; dial: string };

export type IngressRoute = {
  tenantId: string;
  domain: string;
  /** Every name below the domain too (a PDS's handles), with certificates on demand. */
  subdomains: boolean;
  /** Certificate obtained on the first request (own domains), after the ask list said yes. */
  onDemand: boolean;
  target:
    | { kind: "live"; upstreams: Upstream[]; bodyLimitBytes: number }
    | { kind: "page"; status: number; html: string };
};

const TIMEOUTS = {
  // Slow clients may not hold a connection with half a request header.
  server: { read_header_timeout: "30s", idle_timeout: "5m" },
  // Media processing in Mastodon can take a while before the first byte.
  transport: { protocol: "http", dial_timeout: "10s", response_header_timeout: "180s" },
};

function hosts(route: IngressRoute): string[] {
  return route.subdomains ? [route.domain, `*.${route.domain}`] : [route.domain];
}

function handlers(route: IngressRoute): unknown[] {
  if (route.target.kind === "page") {
    return [
      {
        handler: "static_response",
        status_code: route.target.status,
        headers: { "Content-Type": ["text/html; charset=utf-8"], "Cache-Control": ["no-store"], "Retry-After": ["300"] },
        body: route.target.html,
      },
    ];
  }
  const { upstreams, bodyLimitBytes } = route.target;
  const proxy = (dial: string) => ({ handler: "reverse_proxy", upstreams: [{ dial }], transport: TIMEOUTS.transport });
  return [
    {
      handler: "subroute",
      routes: [
        { handle: [{ handler: "request_body", max_size: bodyLimitBytes }] },
        ...upstreams.map((u) => ({
          ...(u.paths ? { match: [{ path: u.paths }] } : {}),
          handle: [proxy(u.dial)],
          terminal: true,
        })),
      ],
    },
  ];
}

function issuerJson(issuer: Issuer): Record<string, unknown> {
  if (issuer.kind === "internal") return { module: "internal" };
  return {
    module: "acme",
    ca: issuer.directory,
    ...(issuer.email ? { email: issuer.email } : {}),
    ...(issuer.rootsFile ? { trusted_roots_pem_files: [ACME_ROOTS_PATH] } : {}),
  };
}

function askRoutes(routes: IngressRoute[]): unknown[] {
  const exact = routes.filter((r) => r.onDemand).map((r) => r.domain);
  const parents = routes.filter((r) => r.subdomains).map((r) => r.domain);
  const yes = { handler: "static_response", status_code: 200 };
  const out: unknown[] = [];
  if (exact.length) out.push({ match: [{ query: { domain: exact } }], handle: [yes], terminal: true });
  // One label below a routed parent (a handle), never deeper.
  for (const parent of parents) {
    const pattern = `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.${parent.replace(/\./g, "\\.")}$`;
    out.push({ match: [{ vars_regexp: { "{http.request.uri.query.domain}": { name: "h", pattern } } }], handle: [yes], terminal: true });
  }
  out.push({ handle: [{ handler: "static_response", status_code: 404 }] });
  return out;
}

export function renderCaddyConfig(routes: IngressRoute[], issuer: Issuer): Record<string, unknown> {
  const sorted = [...routes].sort((a, b) => a.domain.localeCompare(b.domain));
  const managed = sorted.filter((r) => !r.onDemand).map((r) => r.domain);
  const policies: unknown[] = [];
  if (managed.length) policies.push({ subjects: managed, issuers: [issuerJson(issuer)] });
  // Everything else (own domains, handles) only on demand, and only when the ask list says yes.
  policies.push({ on_demand: true, issuers: [issuerJson(issuer)] });
  return {
    admin: { listen: ADMIN_ADDRESS, origins: [ADMIN_ADDRESS, "localhost:2019"] },
    apps: {
      http: {
        http_port: 80,
        https_port: 443,
        servers: {
          hearth: {
            listen: [":443"],
            ...TIMEOUTS.server,
            routes: [
              ...sorted.map((route) => ({ match: [{ host: hosts(route) }], handle: handlers(route), terminal: true })),
              // A name with a certificate but no route any more (a deleted community): say so.
              { handle: [{ handler: "static_response", status_code: 404, headers: { "Content-Type": ["text/plain; charset=utf-8"] }, body: "No community is served at this address.\n" }] },
            ],
          },
          ask: { listen: [ASK_ADDRESS], automatic_https: { disable: true }, routes: askRoutes(sorted) },
        },
      },
      tls: { automation: { policies, on_demand: { ask: `http://${ASK_ADDRESS}/ask` } } },
      // The internal CA's root stays in the container (Hearth exports it); no trust store to write.
      pki: { certificate_authorities: { local: { install_trust: false } } },
    },
  };
}
