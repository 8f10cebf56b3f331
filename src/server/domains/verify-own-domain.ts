// Checking a community's own domain and recording the answer: verified once it points at this
// host (the ingress then routes it and may obtain its certificate on demand); a later failed check
// keeps that (see verifyOwnDomain). Returns the check so the form can name what is wrong.
import "server-only";
import { env, type Env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { ingressSettings, LETS_ENCRYPT } from "@/server/provisioning";
import { log } from "@/server/log";
import { checkDomainDns, dnsLookups, hostAddresses, type DnsLookups, type DomainCheck, type HostAddresses, type HostTarget } from "./check-domain-dns";

/**
 * What an own domain must point at (the host's name; its addresses when HEARTH_INGRESS_ADDRESSES
 * names them, else the name's own A and AAAA records) and which CA its CAA records must allow.
 */
export function domainTarget(config: Env): { host: HostTarget; caIdentity: string | null } {
  const issuer = ingressSettings(config).issuer;
  return {
    host: { name: config.HEARTH_INGRESS_HOSTNAME ?? config.HEARTH_BASE_DOMAIN, addresses: config.HEARTH_INGRESS_ADDRESSES },
    caIdentity: issuer.kind === "acme" && issuer.directory === LETS_ENCRYPT ? "letsencrypt.org" : null,
  };
}

/**
 * The addresses the dashboard names for A and AAAA records. A failed lookup gives null (the page
 * then names the host only) and is logged: the card must not fail because a resolver is slow.
 */
export async function ownDomainAddresses(config = env(), lookups: DnsLookups = dnsLookups(config.HEARTH_DNS_SERVERS)): Promise<HostAddresses | null> {
  const { host } = domainTarget(config);
  try {
    return await hostAddresses(host, lookups);
  } catch (error) {
    log.warn("own domain: the host's addresses could not be looked up", { host: host.name, error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

export async function checkOwnDomain(domain: string, config = env(), lookups: DnsLookups = dnsLookups(config.HEARTH_DNS_SERVERS)): Promise<DomainCheck> {
  const { host, caIdentity } = domainTarget(config);
  return checkDomainDns(domain, host, caIdentity, lookups);
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
