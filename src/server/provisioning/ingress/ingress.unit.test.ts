// The ingress's pure parts: settings and their defaults, the configuration rendered from routes
// (per-software routing, pages, certificates, the ask list), and the pages' escaping.
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { INGRESS_ROUTING } from "@/server/provisioning/templates";
import { ingressPage } from "./pages";
import { renderCaddyConfig, type IngressRoute } from "./render-config";
import { LETS_ENCRYPT, ingressSettings, instanceUrl } from "./settings";

/** The rendered configuration as Caddy receives it: the JSON text, parsed (read along paths the test knows). */
const asCaddyReads = (config: unknown) => JSON.parse(JSON.stringify(config));

const live = (domain: string, onDemand = false): IngressRoute => ({
  tenantId: domain,
  domain,
  subdomains: false,
  onDemand,
  target: {
    kind: "live",
    bodyLimitBytes: INGRESS_ROUTING.MASTODON.bodyLimitMb * 1024 * 1024,
    upstreams: [
      { paths: ["/api/v1/streaming", "/api/v1/streaming/*"], dial: "x-streaming:4000" },
      { dial: "x-web:3000" },
    ],
  },
});

describe("ingress settings", () => {
  it("uses Caddy's internal CA, loopback and the given ports for a *.localhost base domain", () => {
    const s = ingressSettings(parseEnv({ HEARTH_INGRESS_HTTPS_PORT: "8443", HEARTH_INGRESS_HTTP_PORT: "8080" }));
    expect(s).toMatchObject({ bind: "127.0.0.1", httpsPort: 8443, httpPort: 8080, issuer: { kind: "internal" } });
  });
  it("uses Let's Encrypt on 80/443 for every address otherwise, or the directory it is given", () => {
    expect(ingressSettings(parseEnv({ HEARTH_BASE_DOMAIN: "social.example.org" }))).toMatchObject({
      bind: "0.0.0.0",
      httpsPort: 443,
      httpPort: 80,
      issuer: { kind: "acme", directory: LETS_ENCRYPT },
    });
    const staging = ingressSettings(
      parseEnv({ HEARTH_BASE_DOMAIN: "social.example.org", HEARTH_ACME_DIRECTORY: "https://acme.test/dir", HEARTH_ACME_EMAIL: "ops@example.org" }),
    );
    expect(staging.issuer).toEqual({ kind: "acme", directory: "https://acme.test/dir", email: "ops@example.org", rootsFile: undefined });
  });
  it("names a bad setting", () => {
    expect(() => parseEnv({ HEARTH_ACME_DIRECTORY: "letsencrypt" })).toThrow(/HEARTH_ACME_DIRECTORY: must be an ACME directory URL or internal/);
    expect(() => parseEnv({ HEARTH_DNS_SERVERS: "dns.example" })).toThrow(/HEARTH_DNS_SERVERS/);
  });
  it("writes the port into the address only when it is not 443", () => {
    expect(instanceUrl("a.example", 443)).toBe("https://a.example");
    expect(instanceUrl("a.hearth.localhost", 8443)).toBe("https://a.hearth.localhost:8443");
  });
});

describe("the rendered configuration", () => {
  const config = asCaddyReads(renderCaddyConfig([live("b.example.org"), live("own.example.net", true)], { kind: "acme", directory: LETS_ENCRYPT, email: "ops@example.org" }));
  const server = config.apps.http.servers.hearth;

  it("maps each host to its upstreams: Mastodon's streaming API to the streaming process, the rest to web, with the body limit", () => {
    const [map, page, none, limit, streaming, web] = server.routes;
    expect(map.handle[0].handler).toBe("map");
    expect(map.handle[0].source).toBe("{http.request.host}");
    expect(map.handle[0].mappings[0]).toEqual({ input: "b.example.org", outputs: ["x-web:3000", `limit${99 * 1024 * 1024}`, "", "", "x-streaming:4000"] });
    expect(page.match[0].vars).toEqual({ "{hearth_class}": ["page"] });
    expect(none.handle[0].status_code).toBe(404);
    expect(limit).toEqual({ match: [{ vars: { "{hearth_class}": [`limit${99 * 1024 * 1024}`] } }], handle: [{ handler: "request_body", max_size: 99 * 1024 * 1024 }] });
    expect(streaming.match[0].path).toEqual(["/api/v1/streaming", "/api/v1/streaming/*"]);
    expect(streaming.handle[0].upstreams).toEqual([{ dial: "{hearth_up0}" }]);
    expect(web.match).toBeUndefined();
    expect(web.handle[0].upstreams).toEqual([{ dial: "{hearth_web}" }]);
  });

  it("speaks HTTP/1.1 and HTTP/2 only: HTTP/3 would be advertised on a UDP port the container does not publish", () => {
    expect(server.protocols).toEqual(["h1", "h2"]);
    expect(server.listen).toEqual([":443"]);
  });

  it("serves a page from the map for a domain that is not live", () => {
    const paused: IngressRoute = { ...live("p.example.org"), target: { kind: "page", status: 503, html: "<h1>paused</h1>" } };
    const rendered = asCaddyReads(renderCaddyConfig([paused], { kind: "internal" }));
    const [map] = rendered.apps.http.servers.hearth.routes;
    expect(map.handle[0].mappings).toEqual([{ input: "p.example.org", outputs: ["", "page", "<h1>paused</h1>", "503"] }]);
  });

  it("issues certificates on demand for exactly the routed names, after asking the list", () => {
    const { policies, on_demand } = config.apps.tls.automation;
    expect(policies).toEqual([{ on_demand: true, issuers: [{ module: "acme", ca: LETS_ENCRYPT, email: "ops@example.org" }] }]);
    expect(on_demand.ask).toBe("http://127.0.0.1:2020/ask");
    const ask = config.apps.http.servers.ask;
    expect(ask.listen).toEqual(["127.0.0.1:2020"]);
    expect(ask.routes[0].match[0].query.domain).toEqual(["b.example.org", "own.example.net"]);
    expect(ask.routes.at(-1).handle[0].status_code).toBe(404);
  });

  it("keeps the admin API on the container's loopback", () => {
    expect(config.admin.listen).toBe("127.0.0.1:2019");
  });

  it("routes every name below a domain when the software asks for it (a PDS's handles)", () => {
    const pds = { ...live("pds.example.org", true), subdomains: true };
    const rendered = asCaddyReads(renderCaddyConfig([pds], { kind: "internal" }));
    const mapping = rendered.apps.http.servers.hearth.routes[0].handle[0].mappings[0];
    const pattern = new RegExp(mapping.input_regexp);
    expect(["pds.example.org", "alice.pds.example.org"].every((h) => pattern.test(h))).toBe(true);
    expect(["a.b.pds.example.org", "pdsxexample.org", "evil.org"].some((h) => pattern.test(h))).toBe(false);
  });

  it("asks a running PDS whether a handle exists before a certificate is issued for it, and never for a paused one", () => {
    const pds: IngressRoute = { ...live("pds.example.org", true), subdomains: true, target: { kind: "live", bodyLimitBytes: 1, upstreams: [{ dial: "t-pds:3000" }] } };
    const paused: IngressRoute = { ...pds, tenantId: "q", domain: "paused.example.org", target: { kind: "page", status: 503, html: "paused" } };
    const routes = asCaddyReads(renderCaddyConfig([pds, paused], { kind: "internal" })).apps.http.servers.ask.routes;
    // Both domains themselves are routed names.
    expect(routes[0].match[0].query.domain).toEqual(["paused.example.org", "pds.example.org"]);
    // One route for the running PDS's handles: one label below its domain, answered by the PDS.
    expect(routes).toHaveLength(3);
    const handles = routes[1];
    const { pattern } = handles.match[0].vars_regexp["{http.request.uri.query.domain}"];
    expect(["alice.pds.example.org", "a-b.pds.example.org"].every((h) => new RegExp(pattern).test(h))).toBe(true);
    expect(["a.b.pds.example.org", "pds.example.org", "alice.paused.example.org", "alice.pdsxexample.org"].some((h) => new RegExp(pattern).test(h))).toBe(false);
    expect(handles.handle[0]).toEqual({ handler: "rewrite", uri: "/xrpc/com.atproto.identity.resolveHandle?handle={http.request.uri.query.domain}" });
    expect(handles.handle[1]).toMatchObject({ handler: "reverse_proxy", upstreams: [{ dial: "t-pds:3000" }] });
    expect(routes[2].handle[0].status_code).toBe(404);
  });

  it("is the same document for the same routes in any order", () => {
    const a = renderCaddyConfig([live("a.x.org"), live("b.x.org")], { kind: "internal" });
    const b = renderCaddyConfig([live("b.x.org"), live("a.x.org")], { kind: "internal" });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("the ingress's pages", () => {
  it("escapes the community's name and links to its funding page, with no Caddy placeholders", () => {
    const html = ingressPage("paused", { name: "<Birds> {place}", fundingUrl: "https://panel.example/c/birds" });
    expect(html).toContain("&lt;Birds&gt; &#123;place&#125; is paused");
    expect(html).toContain('href="https://panel.example/c/birds"');
    expect(html).not.toMatch(/[{}]/);
  });
});
