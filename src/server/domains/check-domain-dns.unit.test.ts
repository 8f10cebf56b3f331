// The verdicts of the own-domain check, on given DNS answers (the real lookups through
// pebble-challtestsrv are in check-domain-action.test.ts, recheck-own-domains.test.ts and
// src/server/provisioning/ingress/acme.docker.test.ts).
import { describe, expect, it } from "vitest";
import { checkDomainDns, hostAddresses, type DnsLookups } from "./check-domain-dns";

type Records = {
  cname?: Record<string, string[]>;
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
  caa?: Record<string, { issue?: string; critical: number }[]>;
};
function dns(records: Records): DnsLookups {
  return {
    cname: async (name) => records.cname?.[name] ?? [],
    a: async (name) => records.a?.[name] ?? [],
    aaaa: async (name) => records.aaaa?.[name] ?? [],
    caa: async (name) => records.caa?.[name] ?? [],
  };
}
const name = "hearth.example.org";
const host = { name };
const mine = { [name]: ["203.0.113.5"] };
const mine6 = { [name]: ["2001:db8::5"] };
const check = (records: Records, target: { name: string; addresses?: string[] } = host) => checkDomainDns("social.club", target, null, dns(records));

describe("checkDomainDns", () => {
  it("accepts a CNAME to the host's name, or A records equal to the host's", async () => {
    expect(await check({ cname: { "social.club": [`${name}.`] } })).toEqual({ ok: true, via: "CNAME" });
    expect(await check({ a: { ...mine, "social.club": ["203.0.113.5"] } })).toEqual({ ok: true, via: "A" });
  });

  it("accepts AAAA records equal to the host's, alone or beside its A records, however the address is written", async () => {
    expect(await check({ a: mine, aaaa: { ...mine6, "social.club": ["2001:DB8:0:0::5"] } })).toEqual({ ok: true, via: "AAAA" });
    expect(await check({ a: { ...mine, "social.club": ["203.0.113.5"] }, aaaa: { ...mine6, "social.club": ["2001:db8::5"] } })).toEqual({ ok: true, via: "A and AAAA" });
  });

  it("names a domain with no record, and one pointed elsewhere", async () => {
    const none = await check({ a: mine, aaaa: mine6 });
    expect(none).toEqual({
      ok: false,
      problem: "NOT_POINTED",
      message: "social.club has no DNS record yet. Create a CNAME record to hearth.example.org (or A/AAAA records with 203.0.113.5, 2001:db8::5).",
    });
    const elsewhere = await check({ a: { ...mine, "social.club": ["198.51.100.7"] } });
    expect(elsewhere).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE" });
    if (!elsewhere.ok) expect(elsewhere.message).toBe("social.club points elsewhere (A records 198.51.100.7). Point it at hearth.example.org (203.0.113.5).");
    // One of ours and one not: some visitors would reach the other server.
    expect(await check({ a: { ...mine, "social.club": ["203.0.113.5", "198.51.100.7"] } })).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE" });
    const cname = await check({ a: mine, cname: { "social.club": ["old-host.example.net."] } });
    expect(cname).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE", message: expect.stringContaining("(a CNAME to old-host.example.net)") });
  });

  it("calls a domain whose A records are ours but whose AAAA record is not pointed elsewhere, naming IPv6 visitors", async () => {
    const stray = await check({ a: { ...mine, "social.club": ["203.0.113.5"] }, aaaa: { ...mine6, "social.club": ["2001:db8::99"] } });
    expect(stray).toEqual({
      ok: false,
      problem: "POINTED_ELSEWHERE",
      message:
        "social.club has AAAA records 2001:db8::99 that are not this host's: visitors over IPv6 (and Let's Encrypt, which tries IPv6 first) would reach another server. " +
        "Change them to 2001:db8::5, or use a CNAME record to hearth.example.org instead.",
    });
    // A host with no IPv6 address: any AAAA record is someone else's.
    const noV6 = await check({ a: { ...mine, "social.club": ["203.0.113.5"] }, aaaa: { "social.club": ["2001:db8::5"] } });
    expect(noV6).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE", message: expect.stringContaining("This host has no IPv6 address: remove them") });
    // Both families wrong: both named.
    const both = await check({ a: { ...mine, "social.club": ["198.51.100.7"] }, aaaa: { ...mine6, "social.club": ["2001:db8::99"] } });
    expect(both).toMatchObject({ ok: false, message: "social.club points elsewhere (A records 198.51.100.7; AAAA records 2001:db8::99). Point it at hearth.example.org (203.0.113.5, 2001:db8::5)." });
  });

  it("takes the configured addresses instead of the host name's records when there are some", async () => {
    const configured = { name, addresses: ["198.51.100.20", "2001:db8::20"] };
    expect(await check({ a: { ...mine, "social.club": ["198.51.100.20"] }, aaaa: { "social.club": ["2001:db8::20"] } }, configured)).toEqual({ ok: true, via: "A and AAAA" });
    expect(await check({ a: { ...mine, "social.club": ["203.0.113.5"] } }, configured)).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE" });
    expect(await hostAddresses(configured, dns({ a: mine }))).toEqual({ ipv4: ["198.51.100.20"], ipv6: ["2001:db8::20"] });
    expect(await hostAddresses(host, dns({ a: mine, aaaa: { [name]: ["2001:0db8::0005"] } }))).toEqual({ ipv4: ["203.0.113.5"], ipv6: ["2001:db8::5"] });
  });

  it("refuses when the closest CAA records do not name the CA, and accepts when they do", async () => {
    const pointed = { cname: { "m.social.club": [name] } };
    const forbidden = await checkDomainDns("m.social.club", host, "letsencrypt.org", dns({ ...pointed, caa: { "social.club": [{ issue: "sectigo.com", critical: 0 }] } }));
    expect(forbidden).toMatchObject({ ok: false, problem: "CAA_FORBIDS" });
    if (!forbidden.ok) expect(forbidden.message).toContain("Add letsencrypt.org");
    const allowed = await checkDomainDns("m.social.club", host, "letsencrypt.org", dns({ ...pointed, caa: { "social.club": [{ issue: "letsencrypt.org; validationmethods=http-01", critical: 0 }] } }));
    expect(allowed).toEqual({ ok: true, via: "CNAME" });
  });
});
