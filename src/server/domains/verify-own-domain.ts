// Checking a community's own domain and recording the answer: verified once it points at this
// host (the ingress then routes it and may obtain its certificate on demand), unverified again
// when it stops. Returns the check so the form can name what is wrong.
import "server-only";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { ingressSettings, LETS_ENCRYPT } from "@/server/provisioning";
import { checkDomainDns, dnsLookups, type DomainCheck } from "./check-domain-dns";

export async function verifyOwnDomain(communityId: string): Promise<DomainCheck> {
  const config = env();
  const community = await db.community.findUnique({ where: { id: communityId }, select: { domain: true, domainOwn: true } });
  if (!community?.domain || !community.domainOwn) throw new AppError("NOT_FOUND", "This community has no domain of its own.");
  const issuer = ingressSettings(config).issuer;
  const caIdentity = issuer.kind === "acme" && issuer.directory === LETS_ENCRYPT ? "letsencrypt.org" : null;
  const check = await checkDomainDns(community.domain, config.HEARTH_INGRESS_HOSTNAME ?? config.HEARTH_BASE_DOMAIN, caIdentity, dnsLookups(config.HEARTH_DNS_SERVERS));
  await db.community.update({ where: { id: communityId }, data: { domainVerifiedAt: check.ok ? new Date() : null } });
  return check;
}
