// Whether a community's own domain points at this host, by DNS lookup (HEARTH_DNS_SERVERS when
// set), named for a person: not pointed yet, pointed elsewhere, or a CAA record that forbids the
// certificate authority the ingress uses. Pointed means a CNAME to the host's name (preferred: it
// follows the host when its addresses change), or A and/or AAAA records every one of which is an
// address of the host. One foreign AAAA record is enough to be "elsewhere": visitors over IPv6,
// and Let's Encrypt, which tries IPv6 first, would reach another server.
import { Resolver } from "node:dns/promises";
import { canonicalIp, isIpv6 } from "@/lib/ip-address";

export type DomainProblem = "NOT_POINTED" | "POINTED_ELSEWHERE" | "CAA_FORBIDS";
export type PointedVia = "CNAME" | "A" | "AAAA" | "A and AAAA";
export type DomainCheck = { ok: true; via: PointedVia } | { ok: false; problem: DomainProblem; message: string };

export type DnsLookups = {
  cname: (name: string) => Promise<string[]>;
  a: (name: string) => Promise<string[]>;
  aaaa: (name: string) => Promise<string[]>;
  caa: (name: string) => Promise<{ issue?: string; critical: number }[]>;
};

/** What an own domain must point at: the host's name, and its addresses when configured (HEARTH_INGRESS_ADDRESSES). */
export type HostTarget = { name: string; addresses?: string[] };
export type HostAddresses = { ipv4: string[]; ipv6: string[] };

const empty = (error: unknown) => {
  const code = (error as { code?: string }).code;
  if (code === "ENODATA" || code === "ENOTFOUND" || code === "NXDOMAIN") return [];
  throw error;
};

export function dnsLookups(servers: string[]): DnsLookups {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (servers.length) resolver.setServers(servers);
  return {
    cname: (name) => resolver.resolveCname(name).catch(empty),
    a: (name) => resolver.resolve4(name).catch(empty),
    aaaa: (name) => resolver.resolve6(name).catch(empty),
    caa: (name) => resolver.resolveCaa(name).then((records) => records as { issue?: string; critical: number }[]).catch(empty),
  };
}

const strip = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** The host's addresses: the configured ones, else what its name's A and AAAA records say. */
export async function hostAddresses(host: HostTarget, dns: DnsLookups): Promise<HostAddresses> {
  const all = host.addresses ?? (await Promise.all([dns.a(host.name), dns.aaaa(host.name)])).flat();
  const canonical = [...new Set(all.map(canonicalIp))];
  return { ipv4: canonical.filter((a) => !isIpv6(a)), ipv6: canonical.filter(isIpv6) };
}

const listed = (mine: HostAddresses) => [...mine.ipv4, ...mine.ipv6].join(", ");

/** `caIdentity` is the CA's CAA name (letsencrypt.org); null when unknown (no CAA check). */
export async function checkDomainDns(domain: string, host: HostTarget, caIdentity: string | null, dns: DnsLookups): Promise<DomainCheck> {
  const cnames = (await dns.cname(domain)).map(strip);
  let via: PointedVia | null = cnames.includes(strip(host.name)) ? "CNAME" : null;
  if (!via) {
    const [mine, v4, v6] = await Promise.all([hostAddresses(host, dns), dns.a(domain), dns.aaaa(domain)]);
    const [theirs4, theirs6] = [v4.map(canonicalIp), v6.map(canonicalIp)];
    const alternative = listed(mine) ? ` (or A/AAAA records with ${listed(mine)})` : "";
    if (theirs4.length === 0 && theirs6.length === 0 && cnames.length === 0) {
      return { ok: false, problem: "NOT_POINTED", message: `${domain} has no DNS record yet. Create a CNAME record to ${host.name}${alternative}.` };
    }
    const foreign4 = theirs4.filter((a) => !mine.ipv4.includes(a));
    const foreign6 = theirs6.filter((a) => !mine.ipv6.includes(a));
    const pointAt = `Point it at ${host.name}${listed(mine) ? ` (${listed(mine)})` : ""}.`;
    if (cnames.length && (foreign4.length || foreign6.length || theirs4.length + theirs6.length === 0)) {
      return { ok: false, problem: "POINTED_ELSEWHERE", message: `${domain} points elsewhere (a CNAME to ${cnames.join(", ")}). ${pointAt}` };
    }
    if (foreign4.length) {
      const seen = [`A records ${theirs4.join(", ")}`, ...(foreign6.length ? [`AAAA records ${theirs6.join(", ")}`] : [])].join("; ");
      return { ok: false, problem: "POINTED_ELSEWHERE", message: `${domain} points elsewhere (${seen}). ${pointAt}` };
    }
    if (foreign6.length) {
      const fix = mine.ipv6.length ? `Change them to ${mine.ipv6.join(", ")}` : "This host has no IPv6 address: remove them";
      return {
        ok: false,
        problem: "POINTED_ELSEWHERE",
        message:
          `${domain} has AAAA records ${foreign6.join(", ")} that are not this host's: visitors over IPv6 (and Let's Encrypt, which tries IPv6 first) ` +
          `would reach another server. ${fix}, or use a CNAME record to ${host.name} instead.`,
      };
    }
    via = theirs4.length && theirs6.length ? "A and AAAA" : theirs4.length ? "A" : "AAAA";
  }
  if (caIdentity) {
    // The closest name with CAA records decides (RFC 8659): the domain, then its parents.
    const labels = domain.split(".");
    for (let i = 0; i < labels.length - 1; i++) {
      const name = labels.slice(i).join(".");
      const issuers = (await dns.caa(name)).filter((r) => r.issue !== undefined).map((r) => (r.issue ?? "").split(";")[0]?.trim().toLowerCase());
      if (issuers.length === 0) continue;
      if (!issuers.includes(caIdentity)) {
        return {
          ok: false,
          problem: "CAA_FORBIDS",
          message: `A CAA record on ${name} allows only ${issuers.filter(Boolean).join(", ") || "no CA"} to issue certificates. Add ${caIdentity} to it.`,
        };
      }
      break;
    }
  }
  return { ok: true, via };
}
