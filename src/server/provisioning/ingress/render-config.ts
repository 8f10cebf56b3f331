// The whole ingress configuration (Caddy's JSON) from Hearth's routes: one HTTPS server that maps
// each request's host name to its upstreams or page (see hostRoutes), certificates issued on demand for exactly the routed
// names (each asked of the list of allowed names first), and the
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
  /** The community's own domain (verified before it is routed at all), not the host's subdomain. */
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

const esc = (domain: string) => domain.replace(/\./g, "\\.");

// Placeholders the host map fills in for each request.
const WEB = "{hearth_web}";
const CLASS = "{hearth_class}";
const PAGE = "{hearth_page}";
const STATUS = "{hearth_status}";
const pathUpstream = (i: number) => `{hearth_up${i}}`;

/**
 * One `map` from the request's host to what serves it, and a handful of fixed routes that read
 * the map's outputs: a page, a body limit, an upstream by path, the web upstream. The
 * configuration grows by one mapping per domain, not by handlers Caddy must set up, which is what
 * keeps a change quick with thousands of domains.
 */
function hostRoutes(routes: IngressRoute[]): unknown[] {
  const pathSets = [...new Set(routes.flatMap((r) => (r.target.kind === "live" ? r.target.upstreams : []).filter((u) => u.paths).map((u) => JSON.stringify(u.paths))))];
  const limits = [...new Set(routes.flatMap((r) => (r.target.kind === "live" ? [r.target.bodyLimitBytes] : [])))].sort((a, b) => a - b);
  const outputs = (route: IngressRoute): string[] => {
    if (route.target.kind === "page") return ["", "page", route.target.html, String(route.target.status), ...pathSets.map(() => "")];
    const { upstreams, bodyLimitBytes } = route.target;
    const web = upstreams.find((u) => !u.paths)?.dial ?? "";
    return [web, `limit${bodyLimitBytes}`, "", "", ...pathSets.map((set) => upstreams.find((u) => JSON.stringify(u.paths) === set)?.dial ?? "")];
  };
  const mappings = routes.map((route) =>
    route.subdomains
      ? { input_regexp: `^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)?${esc(route.domain)}$`, outputs: outputs(route) }
      : { input: route.domain, outputs: outputs(route) },
  );
  const proxy = (dial: string) => ({ handler: "reverse_proxy", upstreams: [{ dial }], transport: TIMEOUTS.transport });
  const is = (placeholder: string, value: string) => ({ vars: { [placeholder]: [value] } });
  return [
    {
      handle: [
        {
          handler: "map",
          source: "{http.request.host}",
          destinations: [WEB, CLASS, PAGE, STATUS, ...pathSets.map((_, i) => pathUpstream(i))],
          mappings,
          defaults: ["", "none", "", "404", ...pathSets.map(() => "")],
        },
      ],
    },
    {
      match: [is(CLASS, "page")],
      handle: [
        {
          handler: "static_response",
          status_code: STATUS,
          headers: { "Content-Type": ["text/html; charset=utf-8"], "Cache-Control": ["no-store"], "Retry-After": ["300"] },
          body: PAGE,
        },
      ],
      terminal: true,
    },
    // A name with no route (a deleted community whose certificate Caddy still holds): say so.
    {
      match: [is(CLASS, "none")],
      handle: [{ handler: "static_response", status_code: 404, headers: { "Content-Type": ["text/plain; charset=utf-8"] }, body: "No community is served at this address.\n" }],
      terminal: true,
    },
    ...limits.map((limit) => ({ match: [is(CLASS, `limit${limit}`)], handle: [{ handler: "request_body", max_size: limit }] })),
    ...pathSets.map((set, i) => ({
      match: [{ path: JSON.parse(set) as string[], not: [is(pathUpstream(i), "")] }],
      handle: [proxy(pathUpstream(i))],
      terminal: true,
    })),
    { handle: [proxy(WEB)], terminal: true },
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

// A PDS answers this with 200 and the DID for an account it holds, and 400 for any other name
// under its own handle domains without asking anyone else (@atproto/pds 0.4,
// src/api/com/atproto/identity/resolveHandle.ts). The domain is already limited to one DNS label
// below the parent by the match, so it needs no escaping in the query.
const RESOLVE_HANDLE = "/xrpc/com.atproto.identity.resolveHandle?handle={http.request.uri.query.domain}";

/**
 * Yes for every routed name; for a name one label below a running PDS's domain (a handle), yes
 * only when that PDS holds an account with that handle, so nobody can make the host request
 * certificates for made-up names (a CA's rate limits are per registered domain). A PDS that is
 * paused or being set up gets no new handle certificates.
 */
function askRoutes(routes: IngressRoute[]): unknown[] {
  const exact = routes.map((r) => r.domain);
  const yes = { handler: "static_response", status_code: 200 };
  const out: unknown[] = [];
  if (exact.length) out.push({ match: [{ query: { domain: exact } }], handle: [yes], terminal: true });
  for (const route of routes) {
    const web = route.subdomains && route.target.kind === "live" ? route.target.upstreams.find((u) => !u.paths)?.dial : undefined;
    if (!web) continue;
    const pattern = `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.${esc(route.domain)}$`;
    out.push({
      match: [{ vars_regexp: { "{http.request.uri.query.domain}": { name: "h", pattern } } }],
      handle: [
        { handler: "rewrite", uri: RESOLVE_HANDLE },
        { handler: "reverse_proxy", upstreams: [{ dial: web }], headers: { request: { set: { Host: [route.domain] } } }, transport: { protocol: "http", dial_timeout: "3s", response_header_timeout: "5s" } },
      ],
      terminal: true,
    });
  }
  out.push({ handle: [{ handler: "static_response", status_code: 404 }] });
  return out;
}

export function renderCaddyConfig(routes: IngressRoute[], issuer: Issuer): Record<string, unknown> {
  const sorted = [...routes].sort((a, b) => a.domain.localeCompare(b.domain));
  // Every certificate is obtained on the first handshake for its name (the provisioning step's
  // check makes that handshake), and only when the ask list says yes. Managing them eagerly
  // made Caddy load every certificate on every reload: 18 s per change with 1,000 tenants.
  const policies = [{ on_demand: true, issuers: [issuerJson(issuer)] }];
  return {
    admin: { listen: ADMIN_ADDRESS, origins: [ADMIN_ADDRESS, "localhost:2019"] },
    apps: {
      http: {
        http_port: 80,
        https_port: 443,
        servers: {
          hearth: {
            listen: [":443"],
            // HTTP/1.1 and HTTP/2 only: Caddy's default adds HTTP/3 and advertises it (Alt-Svc:
            // h3=":443"), but the container publishes 443/tcp only, so browsers would try a UDP
            // port that never answers.
            protocols: ["h1", "h2"],
            ...TIMEOUTS.server,
            routes: hostRoutes(sorted),
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
