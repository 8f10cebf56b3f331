// The periodic re-check of verified own domains, against a real DNS server (pebble-challtestsrv):
// a domain that still points here is confirmed; one that stops gets the community's admins (not
// its members) one mail per problem until it is confirmed again; a domain never verified, or of
// another kind, is left alone; and the route is kept meanwhile.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { listRoutes } from "@/server/provisioning/ingress/list-routes";
import { addMember, makeCommunity, makeUser } from "@/server/testing/fixtures";
import { recheckOwnDomains } from "./recheck-own-domains";
import { startHostDns, type DnsTestServer } from "./testing/challtestsrv";

const run = randomBytes(4).toString("hex");
const HOST_ADDRESS = "203.0.113.5";
let dns: DnsTestServer;
let HOST: string;

beforeAll(async () => {
  process.env.HEARTH_BASE_DOMAIN = "hearth.localhost";
  ({ dns, host: HOST } = await startHostDns(HOST_ADDRESS));
}, 120_000);

afterAll(async () => {
  dns?.stop();
  await db.$disconnect();
});

const mails = (communityId: string) =>
  db.emailOutbox.findMany({ where: { communityId, kind: "alert.domain_not_pointing" }, orderBy: { createdAt: "asc" }, select: { toUserId: true, subject: true, data: true } });
const verifiedAt = async (id: string) => (await db.community.findUniqueOrThrow({ where: { id }, select: { domainVerifiedAt: true } })).domainVerifiedAt;

describe("re-checking own domains", () => {
  it("confirms a domain that points here, mails the admins once per problem when it stops, and again after it was put right", async () => {
    const owner = await makeUser();
    const admin = await makeUser();
    const member = await makeUser();
    const c = await makeCommunity(owner);
    await addMember(c.id, admin, "ADMIN");
    await addMember(c.id, member, "MEMBER");
    const domain = `social-${run}.club.test`;
    const t0 = new Date("2026-12-01T10:00:00Z");
    await db.community.update({ where: { id: c.id }, data: { domain, domainOwn: true, domainVerifiedAt: t0 } });
    // Another community's own domain, never verified: not looked at, never mailed about.
    const other = await makeCommunity(await makeUser());
    await db.community.update({ where: { id: other.id }, data: { domain: `other-${run}.club.test`, domainOwn: true, domainVerifiedAt: null } });

    await dns.setA(domain, [HOST_ADDRESS]);
    const t1 = new Date("2026-12-01T11:00:00Z");
    expect(await recheckOwnDomains(t1)).toMatchObject({ alerted: 0, failedLookups: 0 });
    expect(await verifiedAt(c.id)).toEqual(t1);
    expect(await mails(c.id)).toEqual([]);

    // Pointed elsewhere: the owner and the admin are told what is wrong; the route stays.
    await dns.setA(domain, ["198.51.100.7"]);
    await recheckOwnDomains(new Date("2026-12-01T12:00:00Z"));
    const first = await mails(c.id);
    expect(first.map((m) => m.toUserId).sort()).toEqual([owner.id, admin.id].sort());
    expect(first[0]!.subject).toBe(`${domain} no longer points at Test Town's server`);
    expect((first[0]!.data as { message: string }).message).toBe(`${domain} points elsewhere (A records 198.51.100.7). Point it at ${HOST} (${HOST_ADDRESS}).`);
    expect(await verifiedAt(c.id)).toEqual(t1);
    expect((await listRoutes("test")).map((r) => r.domain)).toContain(domain);

    // Still wrong an hour later: no second mail. Gone entirely: a new problem, one mail more each.
    await recheckOwnDomains(new Date("2026-12-01T13:00:00Z"));
    expect(await mails(c.id)).toHaveLength(2);
    await dns.clearA(domain);
    await recheckOwnDomains(new Date("2026-12-01T14:00:00Z"));
    const gone = await mails(c.id);
    expect(gone).toHaveLength(4);
    expect((gone[3]!.data as { message: string }).message).toBe(`${domain} has no DNS record yet. Create a CNAME record to ${HOST} (or A/AAAA records with ${HOST_ADDRESS}).`);

    // Put right, confirmed, then wrong again: the admins hear about it again.
    await dns.setA(domain, [HOST_ADDRESS]);
    const t5 = new Date("2026-12-01T15:00:00Z");
    await recheckOwnDomains(t5);
    expect(await verifiedAt(c.id)).toEqual(t5);
    await dns.setA(domain, ["198.51.100.7"]);
    await recheckOwnDomains(new Date("2026-12-01T16:00:00Z"));
    expect(await mails(c.id)).toHaveLength(6);

    expect(await mails(other.id)).toEqual([]);
    expect(await verifiedAt(other.id)).toBeNull();
  }, 120_000);

  it("alerts when a verified domain gains an AAAA record that is not this host's (its A records still point here)", async () => {
    const owner = await makeUser();
    const c = await makeCommunity(owner);
    const domain = `v6-${run}.club.test`;
    const t0 = new Date("2026-12-02T10:00:00Z");
    await db.community.update({ where: { id: c.id }, data: { domain, domainOwn: true, domainVerifiedAt: t0 } });
    await dns.setA(domain, [HOST_ADDRESS]);
    await dns.setAAAA(domain, ["2001:db8::66"]);
    expect(await recheckOwnDomains(new Date("2026-12-02T11:00:00Z"))).toMatchObject({ failedLookups: 0 });
    const sent = await mails(c.id);
    expect(sent.map((m) => m.toUserId)).toEqual([owner.id]);
    expect((sent[0]!.data as { message: string }).message).toBe(
      `${domain} has AAAA records 2001:db8::66 that are not this host's: visitors over IPv6 (and Let's Encrypt, which tries IPv6 first) would reach another server. ` +
        `This host has no IPv6 address: remove them, or use a CNAME record to ${HOST} instead.`,
    );
    expect(await verifiedAt(c.id)).toEqual(t0);
  }, 120_000);
});
