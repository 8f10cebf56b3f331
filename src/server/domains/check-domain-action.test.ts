// The dashboard's "Check DNS now" against the real database and a real DNS server
// (pebble-challtestsrv): only the owner or an admin may ask, and someone else's try writes
// nothing; a domain pointing here is verified (and the funded community's waiting instance
// request is delivered), one pointing elsewhere is named and stays unverified; AAAA records count
// as A records do, and a stray one is named; the addresses the dashboard names come from the
// host name's A and AAAA records, or from HEARTH_INGRESS_ADDRESSES.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { idleState } from "@/server/actions/action-state";
import { NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import { parseEnv } from "@/server/config/env";
import { db } from "@/server/db/client";
import { deliverInstanceRequests, replaceInstanceDriverForTests } from "@/server/funding/instance-hooks";
import { actAs } from "@/server/testing/current-actor-mock";
import { addMember, form, makeCommunity, makeUser } from "@/server/testing/fixtures";
import { checkDomainAction } from "./actions";
import { verifyWaitingDomains } from "./recheck-own-domains";
import { checkOwnDomain, ownDomainAddresses } from "./verify-own-domain";
import { startHostDns, type DnsTestServer } from "./testing/challtestsrv";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
vi.mock("next/cache", () => ({ refresh: vi.fn(), revalidatePath: vi.fn() }));

const HOST_ADDRESS = "203.0.113.9";
const HOST_ADDRESS6 = "2001:db8::9";
let dns: DnsTestServer;
let HOST: string;

beforeAll(async () => {
  ({ dns, host: HOST } = await startHostDns(HOST_ADDRESS, HOST_ADDRESS6));
}, 120_000);

afterAll(async () => {
  dns?.stop();
  await db.$disconnect();
});

async function ownDomainCommunity() {
  const owner = await makeUser();
  const c = await makeCommunity(owner);
  const domain = `club-${randomBytes(4).toString("hex")}.example.test`;
  await db.community.update({ where: { id: c.id }, data: { domain, domainOwn: true, domainVerifiedAt: null } });
  return { owner, c, domain };
}
const verifiedAt = async (id: string) => (await db.community.findUniqueOrThrow({ where: { id }, select: { domainVerifiedAt: true } })).domainVerifiedAt;

describe("checkDomainAction", () => {
  it("refuses a stranger ('not found') and a member (their role) and writes nothing, even when the domain points here", async () => {
    const { c, domain } = await ownDomainCommunity();
    const member = await makeUser();
    await addMember(c.id, member, "MEMBER");
    await dns.setA(domain, [HOST_ADDRESS]);
    for (const [who, message] of [[await makeUser(), NOT_FOUND_MESSAGE], [member, "Your role in this community does not allow this."]] as const) {
      actAs(who);
      const state = await checkDomainAction(idleState, form({ community: c.slug }));
      expect(state).toMatchObject({ status: "error", message });
      expect(await verifiedAt(c.id)).toBeNull();
    }
  }, 60_000);

  it("names what is wrong for a domain pointed elsewhere, and leaves it unverified", async () => {
    const { owner, c, domain } = await ownDomainCommunity();
    await dns.setA(domain, ["198.51.100.7"]);
    actAs(owner);
    const state = await checkDomainAction(idleState, form({ community: c.slug }));
    expect(state).toMatchObject({ status: "error", message: `${domain} points elsewhere (A records 198.51.100.7). Point it at ${HOST} (${HOST_ADDRESS}, ${HOST_ADDRESS6}).` });
    expect(await verifiedAt(c.id)).toBeNull();
  }, 60_000);

  it("keeps an earlier verification when a later check fails (the route stays; the answer names the problem)", async () => {
    const { owner, c, domain } = await ownDomainCommunity();
    const verified = new Date("2026-11-01T00:00:00Z");
    await db.community.update({ where: { id: c.id }, data: { domainVerifiedAt: verified } });
    await dns.setA(domain, ["198.51.100.8"]);
    actAs(owner);
    expect(await checkDomainAction(idleState, form({ community: c.slug }))).toMatchObject({ status: "error", message: expect.stringContaining("points elsewhere") });
    expect(await verifiedAt(c.id)).toEqual(verified);
  }, 60_000);

  it("verifies a domain pointing here for an admin; the funded community's instance request waited until then", async () => {
    const { c, domain } = await ownDomainCommunity();
    const admin = await makeUser();
    await addMember(c.id, admin, "ADMIN");
    await db.communityFunding.upsert({ where: { communityId: c.id }, create: { communityId: c.id }, update: {} });
    await db.fundingTransition.create({ data: { communityId: c.id, toState: "FUNDED", reason: "test", balance: 0, instanceRequest: "running" } });
    const asked: string[] = [];
    const restore = replaceInstanceDriverForTests(async (communityId, state) => void asked.push(`${communityId}:${state}`));
    try {
      // Not verified: the request stays pending and nothing is asked of provisioning.
      expect(await deliverInstanceRequests([c.id])).toBe(0);
      expect(asked).toEqual([]);
      expect(await db.fundingTransition.count({ where: { communityId: c.id, instanceRequestDoneAt: null } })).toBe(1);

      await dns.setA(domain, [HOST_ADDRESS]);
      actAs(admin);
      const before = new Date();
      const state = await checkDomainAction(idleState, form({ community: c.slug }));
      expect(state).toMatchObject({ status: "ok", message: expect.stringMatching(/It is verified/) });
      expect((await verifiedAt(c.id))?.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(asked).toEqual([`${c.id}:running`]);
      expect(await db.fundingTransition.count({ where: { communityId: c.id, instanceRequestDoneAt: null } })).toBe(0);
    } finally {
      restore();
    }
  }, 60_000);
});

describe("verifyWaitingDomains (the worker's hourly pass)", () => {
  it("verifies a waiting domain once it points here and delivers its instance request; one pointing elsewhere keeps waiting", async () => {
    const ready = await ownDomainCommunity();
    const notYet = await ownDomainCommunity();
    for (const { c } of [ready, notYet]) {
      await db.communityFunding.upsert({ where: { communityId: c.id }, create: { communityId: c.id }, update: {} });
      await db.fundingTransition.create({ data: { communityId: c.id, toState: "FUNDED", reason: "test", balance: 0, instanceRequest: "running" } });
    }
    await dns.setA(ready.domain, [HOST_ADDRESS]);
    await dns.setA(notYet.domain, ["198.51.100.9"]);
    const asked: string[] = [];
    const restore = replaceInstanceDriverForTests(async (communityId, state) => void asked.push(`${communityId}:${state}`));
    try {
      expect(await verifyWaitingDomains()).toBeGreaterThanOrEqual(1);
      expect(await verifiedAt(ready.c.id)).not.toBeNull();
      expect(await verifiedAt(notYet.c.id)).toBeNull();
      expect(asked).toContain(`${ready.c.id}:running`);
      expect(asked.filter((a) => a.startsWith(notYet.c.id))).toEqual([]);
    } finally {
      restore();
    }
  }, 60_000);
});

describe("own domains over IPv6 (AAAA records)", () => {
  it("names an AAAA record that is not this host's beside A records that are, and verifies the domain once it is", async () => {
    const { owner, c, domain } = await ownDomainCommunity();
    await dns.setA(domain, [HOST_ADDRESS]);
    await dns.setAAAA(domain, ["2001:db8::77"]);
    actAs(owner);
    const stray = await checkDomainAction(idleState, form({ community: c.slug }));
    expect(stray).toMatchObject({
      status: "error",
      message:
        `${domain} has AAAA records 2001:db8::77 that are not this host's: visitors over IPv6 (and Let's Encrypt, which tries IPv6 first) would reach another server. ` +
        `Change them to ${HOST_ADDRESS6}, or use a CNAME record to ${HOST} instead.`,
    });
    expect(await verifiedAt(c.id)).toBeNull();

    await dns.setAAAA(domain, [HOST_ADDRESS6]);
    const state = await checkDomainAction(idleState, form({ community: c.slug }));
    expect(state).toMatchObject({ status: "ok", message: "Your domain points at this host (its A and AAAA records). It is verified." });
    expect(await verifiedAt(c.id)).not.toBeNull();
  }, 60_000);

  it("verifies a domain with only an AAAA record of this host's", async () => {
    const { owner, c, domain } = await ownDomainCommunity();
    await dns.setAAAA(domain, [HOST_ADDRESS6]);
    actAs(owner);
    expect(await checkDomainAction(idleState, form({ community: c.slug }))).toMatchObject({ status: "ok", message: expect.stringContaining("its AAAA records") });
    expect(await verifiedAt(c.id)).not.toBeNull();
  }, 60_000);

  it("names the host name's A and AAAA addresses for the dashboard, or the configured ones, which the check then holds to", async () => {
    expect(await ownDomainAddresses(parseEnv(process.env))).toEqual({ ipv4: [HOST_ADDRESS], ipv6: [HOST_ADDRESS6] });
    const configured = parseEnv({ ...process.env, HEARTH_INGRESS_ADDRESSES: "198.51.100.20, 2001:DB8::20" });
    expect(await ownDomainAddresses(configured)).toEqual({ ipv4: ["198.51.100.20"], ipv6: ["2001:db8::20"] });
    const domain = `club-${randomBytes(4).toString("hex")}.example.test`;
    await dns.setA(domain, [HOST_ADDRESS]);
    expect(await checkOwnDomain(domain, configured)).toMatchObject({ ok: false, problem: "POINTED_ELSEWHERE" });
    await dns.setA(domain, ["198.51.100.20"]);
    await dns.setAAAA(domain, ["2001:db8::20"]);
    expect(await checkOwnDomain(domain, configured)).toEqual({ ok: true, via: "A and AAAA" });
  }, 60_000);
});
