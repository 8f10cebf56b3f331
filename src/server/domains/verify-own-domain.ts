// Checking a community's own domain and recording the answer: verified once it points at this
// host (the ingress then routes it and may obtain its certificate on demand); a later failed check
// keeps that (see verifyOwnDomain). Returns the check so the form can name what is wrong.
import "server-only";
import { env, type Env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { ingressSettings, LETS_ENCRYPT } from "@/server/provisioning";
import { checkDomainDns, dnsLookups, type DnsLookups, type DomainCheck } from "./check-domain-dns";

/** What an own domain must point at (the host's name) and which CA its CAA records must allow. */
export function domainTarget(config: Env): { hostName: string; caIdentity: string | null } {
  const issuer = ingressSettings(config).issuer;
  return {
    hostName: config.HEARTH_INGRESS_HOSTNAME ?? config.HEARTH_BASE_DOMAIN,
    caIdentity: issuer.kind === "acme" && issuer.directory === LETS_ENCRYPT ? "letsencrypt.org" : null,
  };
}

export async function checkOwnDomain(domain: string, config = env(), lookups: DnsLookups = dnsLookups(config.HEARTH_DNS_SERVERS)): Promise<DomainCheck> {
  const { hostName, caIdentity } = domainTarget(config);
  return checkDomainDns(domain, hostName, caIdentity, lookups);
}

export async function verifyOwnDomain(communityId: string): Promise<DomainCheck> {
  const community = await db.community.findUnique({ where: { id: communityId }, select: { domain: true, domainOwn: true } });
  if (!community?.domain || !community.domainOwn) throw new AppError("NOT_FOUND", "This community has no domain of its own.");
  const check = await checkOwnDomain(community.domain);
  // A failed check does not take back an earlier verification: the route and certificate stay,
  // as with the hourly re-check (a DNS change may be a mistake put right; resolvers still
  // answering the old record keep reaching the server), and the answer names what is wrong.
  if (check.ok) await db.community.update({ where: { id: communityId }, data: { domainVerifiedAt: new Date() } });
  return check;
}
