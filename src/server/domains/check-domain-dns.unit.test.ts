// The verdicts of the own-domain check, on given DNS answers (the real lookups through
// pebble-challtestsrv are in src/server/provisioning/ingress/acme.docker.test.ts).
import { describe, expect, it } from "vitest";
import { checkDomainDns, type DnsLookups } from "./check-domain-dns";

function dns(records: { cname?: Record<string, string[]>; a?: Record<string, string[]>; caa?: Record<string, { issue?: string; critical: number }[]> }): DnsLookups {
  return {
    cname: async (name) => records.cname?.[name] ?? [],
    a: async (name) => records.a?.[name] ?? [],
    caa: async (name) => records.caa?.[name] ?? [],
  };
}
const host = "hearth.example.org";
const mine = { [host]: ["203.0.113.5"] };

describe("checkDomainDns", () => {
  it("accepts a CNAME to the host's name, or A records equal to the host's", async () => {
    expect(await checkDomainDns("social.club", host, null, dns({ cname: { "social.club": [`${host}.`] } }))).toEqual({ ok: true, via: "CNAME" });
    expect(await checkDomainDns("social.club", host, null, dns({ a: { ...mine, "social.club": ["203.0.113.5"] } }))).toEqual({ ok: true, via: "A" });
  });
  it("names a domain with no record, and one pointed elsewhere", async () => {
    expect(await checkDomainDns("social.club", host, null, dns({ a: mine }))).toMatchObject({ ok: false, problem: "NOT_POINTED" });
    const elsewhere = await checkDomainDns("social.club", host, null, dns({ a: { ...mine, "social.club": ["198.51.100.7"] } }));
    expect(elsewhere).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE" });
    if (!elsewhere.ok) expect(elsewhere.message).toBe("social.club points elsewhere (A records 198.51.100.7). Point it at hearth.example.org (203.0.113.5).");
  });
  it("refuses when the closest CAA records do not name the CA, and accepts when they do", async () => {
    const pointed = { cname: { "m.social.club": [host] } };
    const forbidden = await checkDomainDns("m.social.club", host, "letsencrypt.org", dns({ ...pointed, caa: { "social.club": [{ issue: "sectigo.com", critical: 0 }] } }));
    expect(forbidden).toMatchObject({ ok: false, problem: "CAA_FORBIDS" });
    if (!forbidden.ok) expect(forbidden.message).toContain("Add letsencrypt.org");
    const allowed = await checkDomainDns("m.social.club", host, "letsencrypt.org", dns({ ...pointed, caa: { "social.club": [{ issue: "letsencrypt.org; validationmethods=http-01", critical: 0 }] } }));
    expect(allowed).toEqual({ ok: true, via: "CNAME" });
  });
});
