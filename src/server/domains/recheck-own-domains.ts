// The worker's periodic look at every verified own domain (HEARTH_DOMAIN_RECHECK_MINUTES): one
// that still points at this host is confirmed (domainVerifiedAt moves to now); one that stopped
// gets its community's admins a mail naming what is wrong, once per problem until it is
// confirmed again. The route and the certificate stay: a DNS change may be a mistake that is
// put right, and visitors whose resolvers still answer the old record keep reaching the server.
// A lookup that fails (timeout, SERVFAIL) says nothing about the domain and is only logged.
// Own domains not verified yet are looked at too (verifyWaitingDomains): one whose records now
// point here is verified and its community's waiting instance request delivered, so a funded
// community does not wait for its organiser to press "Check DNS now".
import "server-only";
import { rolesWith } from "@/server/auth/permissions";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { deliverInstanceRequests } from "@/server/funding";
import { queueEmails } from "@/server/mail/queue-email";
import { dnsLookups, type DnsLookups } from "./check-domain-dns";
import { checkOwnDomain } from "./verify-own-domain";
import { repeat, type Repeating } from "@/server/worker/repeat";

export type RecheckResult = { confirmed: number; alerted: number; failedLookups: number; mails: number };

export async function recheckOwnDomains(now = new Date(), lookups?: DnsLookups): Promise<RecheckResult> {
  const config = env();
  const dns = lookups ?? dnsLookups(config.HEARTH_DNS_SERVERS);
  const communities = await db.community.findMany({
    where: { deletedAt: null, domainOwn: true, domain: { not: null }, domainVerifiedAt: { not: null } },
    select: {
      id: true,
      name: true,
      slug: true,
      domain: true,
      domainVerifiedAt: true,
      memberships: { where: { role: { in: rolesWith("instance.manage") } }, select: { user: { select: { id: true, email: true } } } },
    },
    orderBy: { id: "asc" },
  });
  const result: RecheckResult = { confirmed: 0, alerted: 0, failedLookups: 0, mails: 0 };
  for (const community of communities) {
    const domain = community.domain!;
    const since = community.domainVerifiedAt!;
    let check;
    try {
      check = await checkOwnDomain(domain, config, dns);
    } catch (error) {
      result.failedLookups++;
      log.warn("own domain re-check: the lookup failed", { communityId: community.id, domain, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (check.ok) {
      // Only if no one changed it meanwhile (a fresh verification by the organiser wins).
      await db.community.updateMany({ where: { id: community.id, domain, domainVerifiedAt: since }, data: { domainVerifiedAt: now } });
      result.confirmed++;
      continue;
    }
    result.alerted++;
    log.warn("own domain no longer points at this host", { communityId: community.id, domain, problem: check.problem });
    // One mail per admin, problem and confirmation: the key repeats until the domain is confirmed again.
    result.mails += await queueEmails(
      db,
      community.memberships.map(({ user }) => ({
        kind: "alert.domain_not_pointing" as const,
        toEmail: user.email,
        toUserId: user.id,
        communityId: community.id,
        data: { communityName: community.name, slug: community.slug, domain, message: check.message },
        dedupeKey: `domain:${community.id}:${since.toISOString()}:${check.problem}:${user.id}`,
      })),
    );
  }
  return result;
}

/** Own domains not verified yet that now point here: verified, and their instance requests delivered. Returns how many. */
export async function verifyWaitingDomains(now = new Date(), lookups?: DnsLookups): Promise<number> {
  const config = env();
  const dns = lookups ?? dnsLookups(config.HEARTH_DNS_SERVERS);
  const waiting = await db.community.findMany({
    where: { deletedAt: null, domainOwn: true, domain: { not: null }, domainVerifiedAt: null },
    select: { id: true, domain: true },
    orderBy: { id: "asc" },
  });
  const verified: string[] = [];
  for (const community of waiting) {
    const check = await checkOwnDomain(community.domain!, config, dns).catch(() => null); // a failed lookup: next time
    if (!check?.ok) continue;
    const updated = await db.community.updateMany({ where: { id: community.id, domain: community.domain, domainVerifiedAt: null }, data: { domainVerifiedAt: now } });
    if (updated.count) verified.push(community.id);
  }
  if (verified.length) await deliverInstanceRequests(verified);
  return verified.length;
}

/** Re-checks now and then every HEARTH_DOMAIN_RECHECK_MINUTES until stopped. */
export function startDomainRecheck(): Repeating {
  const run = async () => {
    const r = await recheckOwnDomains();
    const newlyVerified = await verifyWaitingDomains();
    if (r.alerted + r.failedLookups + newlyVerified > 0) log.info("own domains re-checked", { ...r, newlyVerified });
  };
  return repeat("re-checking own domains", run, { everyMs: () => env().HEARTH_DOMAIN_RECHECK_MINUTES * 60_000, stopWaitMs: 5_000 });
}
