// The ingress's pure parts: settings and their defaults, the configuration rendered from routes
// (per-software routing, pages, certificates, the ask list), and the pages' escaping.
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { INGRESS_ROUTING } from "@/server/provisioning/templates";
import { ingressPage } from "./pages";
import { renderCaddyConfig, type IngressRoute } from "./render-config";
import { LETS_ENCRYPT, ingressSettings, instanceUrl } from "./settings";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
  const config = renderCaddyConfig([live("b.example.org"), live("own.example.net", true)], { kind: "acme", directory: LETS_ENCRYPT, email: "ops@example.org" }) as Json;
  const server = config.apps.http.servers.hearth;

  it("routes Mastodon's streaming API to the streaming process and the rest to web, with the body limit", () => {
    const route = server.routes.find((r: Json) => r.match?.[0].host[0] === "b.example.org");
    const sub = route.handle[0].routes;
    expect(sub[0].handle[0]).toEqual({ handler: "request_body", max_size: 99 * 1024 * 1024 });
    expect(sub[1].match[0].path).toEqual(["/api/v1/streaming", "/api/v1/streaming/*"]);
    expect(sub[1].handle[0].upstreams).toEqual([{ dial: "x-streaming:4000" }]);
    expect(sub[2].match).toBeUndefined();
    expect(sub[2].handle[0].upstreams).toEqual([{ dial: "x-web:3000" }]);
    expect(server.routes.at(-1).handle[0].status_code).toBe(404);
  });

  it("manages certificates for the host's subdomains and issues own domains on demand, after asking", () => {
    const { policies, on_demand } = config.apps.tls.automation;
    expect(policies[0]).toEqual({ subjects: ["b.example.org"], issuers: [{ module: "acme", ca: LETS_ENCRYPT, email: "ops@example.org" }] });
    expect(policies[1].on_demand).toBe(true);
    expect(on_demand.ask).toBe("http://127.0.0.1:2020/ask");
    const ask = config.apps.http.servers.ask;
    expect(ask.listen).toEqual(["127.0.0.1:2020"]);
    expect(ask.routes[0].match[0].query.domain).toEqual(["own.example.net"]);
    expect(ask.routes.at(-1).handle[0].status_code).toBe(404);
  });

  it("keeps the admin API on the container's loopback", () => {
    expect(config.admin.listen).toBe("127.0.0.1:2019");
  });

  it("routes every name below a domain when the software asks for it (a PDS's handles)", () => {
    const pds = { ...live("pds.example.org", true), subdomains: true };
    const rendered = renderCaddyConfig([pds], { kind: "internal" }) as Json;
    expect(rendered.apps.http.servers.hearth.routes[0].match[0].host).toEqual(["pds.example.org", "*.pds.example.org"]);
    expect(JSON.stringify(rendered.apps.http.servers.ask.routes)).toContain("pds\\\\.example\\\\.org");
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
