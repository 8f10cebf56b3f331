// Whether a community's own domain points at this host, by DNS lookup (HEARTH_DNS_SERVERS when
// set), named for a person: not pointed yet, pointed elsewhere, or a CAA record that forbids the
// certificate authority the ingress uses. Pointed means a CNAME to the host's name, or the same
// A addresses as that name.
import { Resolver } from "node:dns/promises";

export type DomainProblem = "NOT_POINTED" | "POINTED_ELSEWHERE" | "CAA_FORBIDS";
export type DomainCheck = { ok: true; via: "CNAME" | "A" } | { ok: false; problem: DomainProblem; message: string };

export type DnsLookups = {
  cname: (name: string) => Promise<string[]>;
  a: (name: string) => Promise<string[]>;
  caa: (name: string) => Promise<{ issue?: string; critical: number }[]>;
};

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
    caa: (name) => resolver.resolveCaa(name).then((records) => records as { issue?: string; critical: number }[]).catch(empty),
  };
}

const strip = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** `caIdentity` is the CA's CAA name (letsencrypt.org); null when unknown (no CAA check). */
export async function checkDomainDns(domain: string, hostName: string, caIdentity: string | null, dns: DnsLookups): Promise<DomainCheck> {
  const cnames = (await dns.cname(domain)).map(strip);
  let via: "CNAME" | "A" | null = cnames.includes(strip(hostName)) ? "CNAME" : null;
  if (!via) {
    const [mine, theirs] = await Promise.all([dns.a(hostName), dns.a(domain)]);
    if (theirs.length === 0 && cnames.length === 0) {
      return { ok: false, problem: "NOT_POINTED", message: `${domain} has no DNS record yet. Create a CNAME record to ${hostName}.` };
    }
    if (theirs.length > 0 && theirs.every((address) => mine.includes(address))) via = "A";
    else {
      const seen = cnames.length ? `a CNAME to ${cnames.join(", ")}` : `A records ${theirs.join(", ")}`;
      return {
        ok: false,
        problem: "POINTED_ELSEWHERE",
        message: `${domain} points elsewhere (${seen}). Point it at ${hostName}${mine.length ? ` (${mine.join(", ")})` : ""}.`,
      };
    }
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
