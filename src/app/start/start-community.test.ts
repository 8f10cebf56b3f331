// The start-a-community form's action against the real database: valid input creates the
// community and its owner in one go; every bad input is refused at its field, the typed
// values come back, and nothing is written.
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { idleState } from "@/server/actions/action-state";
import { db } from "@/server/db/client";
import { PlainText } from "@/components/community/plain-text";
import { actAs } from "@/server/testing/current-actor-mock";
import { form, makeCommunity, makeUser, smallPlanId, unique } from "@/server/testing/fixtures";
import { redirectOf } from "@/server/testing/redirects";
import { createCommunityAction } from "@/server/communities/actions";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
const software = vi.hoisted(() => ({ enabled: ["MASTODON", "MISSKEY", "SHARKEY"] }));
vi.mock("@/server/communities/enabled-software", () => ({ enabledSoftware: () => software.enabled }));

afterAll(() => db.$disconnect());

async function valid() {
  return {
    name: "Bike Club",
    address: unique("bikes"),
    software: "MASTODON",
    planId: await smallPlanId(),
    description: "Riding together.",
    rules: "No spam.",
  };
}

const counts = () => Promise.all([db.community.count(), db.membership.count()]);

describe("createCommunityAction", () => {
  beforeEach(async () => {
    software.enabled = ["MASTODON", "MISSKEY", "SHARKEY"];
    actAs(await makeUser());
  });

  it("creates the community awaiting funding with its owner membership, then opens its dashboard", async () => {
    const owner = await makeUser();
    actAs(owner);
    const fields = await valid();
    const to = await redirectOf(createCommunityAction(idleState, form({ ...fields, address: `  ${fields.address} ` })));
    expect(to).toBe(`/dashboard/${fields.address}?created=1`);
    const community = await db.community.findUniqueOrThrow({ where: { slug: fields.address }, include: { memberships: true } });
    expect(community).toMatchObject({ name: "Bike Club", status: "AWAITING_FUNDING", ownerId: owner.id, software: "MASTODON" });
    expect(community.memberships).toEqual([expect.objectContaining({ userId: owner.id, role: "OWNER" })]);
    expect(await db.auditEvent.count({ where: { communityId: community.id, action: "community.created" } })).toBe(1);
  });

  it("asks a signed-out visitor to sign in and writes nothing", async () => {
    actAs(null);
    const before = await counts();
    const state = await createCommunityAction(idleState, form(await valid()));
    expect(state).toMatchObject({ status: "error", message: expect.stringMatching(/Sign in/) });
    expect(await counts()).toEqual(before);
  });

  const bad: [string, Record<string, string>, string, RegExp][] = [
    ["uppercase address", { address: "BikeClub" }, "address", /lowercase letters only/],
    ["address with dots", { address: "bike.club" }, "address", /no dots/],
    ["Cyrillic look-alike", { address: "bike-\u0441lub" }, "address", /plain letters a–z/],
    ["leading hyphen", { address: "-bikes" }, "address", /Start and end/],
    ["reserved address", { address: "admin" }, "address", /reserved/],
    ["300-character address", { address: "a".repeat(300) }, "address", /at most 30/],
    ["300-character name", { name: "N".repeat(300) }, "name", /at most 60/],
    ["empty name", { name: "   " }, "name", /at least 2/],
    ["control characters in the name", { name: "Bike\u0000Club" }, "name", /printable/],
    ["long description", { description: "d".repeat(501) }, "description", /500 characters/],
    ["long rules", { rules: "r".repeat(5001) }, "rules", /5000 characters/],
    ["unknown software", { software: "PLEROMA" }, "software", /Choose the software/],
    ["missing plan", { planId: "" }, "planId", /Choose a plan/],
    ["unknown plan", { planId: "c-not-a-plan" }, "planId", /listed plans/],
  ];

  it.each(bad)("refuses %s at its field, keeps the typed values, writes nothing", async (_, change, field, message) => {
    const typed = { ...(await valid()), ...change };
    const before = await counts();
    const state = await createCommunityAction(idleState, form(typed));
    expect(state.status).toBe("error");
    expect(state.fields?.[field]).toMatch(message);
    expect(state.values).toEqual(typed);
    expect(await counts()).toEqual(before);
  });

  it("refuses software the host has not enabled", async () => {
    software.enabled = ["MASTODON"];
    const before = await counts();
    const state = await createCommunityAction(idleState, form({ ...(await valid()), software: "MISSKEY" }));
    expect(state.fields?.software).toMatch(/does not offer/);
    expect(await counts()).toEqual(before);
  });

  it("refuses a Bluesky PDS on a .localhost base domain at its field, saying why (atproto refuses such handles)", async () => {
    software.enabled = ["MASTODON", "BLUESKY_PDS"];
    const before = await counts();
    const state = await createCommunityAction(idleState, form({ ...(await valid()), software: "BLUESKY_PDS" }));
    expect(state.fields?.software).toMatch(/Bluesky handles cannot end in \.localhost.*needs a public domain/);
    expect(await counts()).toEqual(before);
  });

  it("refuses a plan the host admin retired", async () => {
    const retired = await db.plan.create({
      data: { slug: unique("retired"), name: "Old", memoryMb: 512, cpuMillis: 500, diskGb: 5, monthlyCost: 500, active: false },
    });
    const before = await counts();
    const state = await createCommunityAction(idleState, form({ ...(await valid()), planId: retired.id }));
    expect(state.fields?.planId).toMatch(/listed plans/);
    expect(await counts()).toEqual(before);
  });

  it("refuses an address that is taken, also when submissions race for it", async () => {
    const first = await makeCommunity(await makeUser());
    const before = await counts();
    const state = await createCommunityAction(idleState, form({ ...(await valid()), address: first.slug }));
    expect(state.fields?.address).toMatch(/taken/);
    expect(await counts()).toEqual(before);
    // A deleted community's address is not given out again, and the form says why.
    await db.community.update({ where: { id: first.id }, data: { deletedAt: new Date() } });
    const deleted = await createCommunityAction(idleState, form({ ...(await valid()), address: first.slug }));
    expect(deleted.fields?.address).toMatch(/belonged to a community that was deleted.*Choose another/);
    expect(await counts()).toEqual(before);

    const contested = unique("race");
    actAs(await makeUser());
    const fields = { ...(await valid()), address: contested };
    // Three submissions at once (a double click and a second tab); the unique index decides.
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        createCommunityAction(idleState, form(fields)).then(
          (s) => s.fields?.address ?? "no error",
          (e: unknown) => ((e as { digest?: string }).digest?.startsWith("NEXT_REDIRECT") ? "created" : String(e)),
        ),
      ),
    );
    expect(results.filter((r) => r === "created")).toHaveLength(1);
    expect(results.filter((r) => /taken/.test(r))).toHaveLength(2);
    expect(await db.community.count({ where: { slug: contested } })).toBe(1);
  });

  it("stores HTML in the description as typed and renders it as text", async () => {
    const html = `<script>alert(1)</script><img src=x onerror="alert(2)"> & <b>bold</b>`;
    const community = await makeCommunity(await makeUser(), { description: html });
    expect(community.description).toBe(html);
    const markup = renderToStaticMarkup(createElement(PlainText, { text: community.description }));
    expect(markup).not.toContain("<script>");
    expect(markup).not.toContain("<img");
    expect(markup).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
  });

  it("stores text-area line breaks as single newlines", async () => {
    const owner = await makeUser();
    actAs(owner);
    const fields = { ...(await valid()), rules: "One\r\nTwo\r\n" };
    await redirectOf(createCommunityAction(idleState, form(fields)));
    expect((await db.community.findUniqueOrThrow({ where: { slug: fields.address } })).rules).toBe("One\nTwo");
  });
});

describe("createCommunityAction with a domain of the community's own", () => {
  beforeEach(async () => {
    software.enabled = ["MASTODON", "MISSKEY", "SHARKEY"];
    actAs(await makeUser());
  });

  it("stores the own domain as typed, marked own and not verified", async () => {
    const fields = { ...(await valid()), domainKind: "own", ownDomain: `  ${unique("social")}.club.example.org ` };
    const to = await redirectOf(createCommunityAction(idleState, form(fields)));
    expect(to).toBe(`/dashboard/${fields.address}?created=1`);
    expect(await db.community.findUniqueOrThrow({ where: { slug: fields.address } })).toMatchObject({
      domain: fields.ownDomain.trim(),
      domainOwn: true,
      domainVerifiedAt: null,
    });
  });

  it("ignores the own-domain field when the base domain is chosen", async () => {
    const fields = { ...(await valid()), domainKind: "base", ownDomain: "not a domain" };
    await redirectOf(createCommunityAction(idleState, form(fields)));
    const stored = await db.community.findUniqueOrThrow({ where: { slug: fields.address } });
    expect(stored).toMatchObject({ domain: `${fields.address}.${process.env.HEARTH_BASE_DOMAIN ?? "hearth.localhost"}`, domainOwn: false });
  });

  const bad: [string, string, RegExp][] = [
    ["an empty domain", "", /Enter your domain/],
    ["a name without a dot", "community", /at least one dot/],
    ["uppercase letters", "Social.Example.org", /lowercase letters only/],
    ["an IPv4 address", "203.0.113.5", /not an IP address/],
    ["an IPv6 address", "2001:db8::1", /not an IP address/],
    ["a URL", "https://social.example.org/", /without https:\/\//],
    ["spaces", "social example.org", /no spaces/],
    ["a leading hyphen in a label", "-social.example.org", /not a hyphen/],
    ["two dots in a row", "social..example.org", /Two dots/],
    ["a name under the host's base domain", `mine.${process.env.HEARTH_BASE_DOMAIN ?? "hearth.localhost"}`, /under this host's own domain/],
  ];

  it.each(bad)("refuses %s at the domain field, keeps what was typed, writes nothing", async (_, ownDomain, message) => {
    const typed = { ...(await valid()), domainKind: "own", ownDomain };
    const before = await counts();
    const state = await createCommunityAction(idleState, form(typed));
    expect(state.status).toBe("error");
    expect(state.fields?.ownDomain).toMatch(message);
    expect(state.values).toEqual(typed);
    expect(await counts()).toEqual(before);
  });

  it("says every field's problem at once, the domain's included", async () => {
    const state = await createCommunityAction(idleState, form({ ...(await valid()), name: "", domainKind: "own", ownDomain: "nodot" }));
    expect(state.fields).toMatchObject({ name: expect.any(String), ownDomain: expect.stringMatching(/at least one dot/) });
  });

  it("refuses a domain another community already uses", async () => {
    const domain = `${unique("taken")}.example.org`;
    await redirectOf(createCommunityAction(idleState, form({ ...(await valid()), domainKind: "own", ownDomain: domain })));
    const before = await counts();
    const state = await createCommunityAction(idleState, form({ ...(await valid()), domainKind: "own", ownDomain: domain }));
    expect(state.fields?.ownDomain).toMatch(/already uses this domain/);
    expect(await counts()).toEqual(before);

    // Once that community is deleted, the domain is still not used again, and the form says why
    // (to anyone but its former owner, who may move it back in: move-back-in.test.ts).
    await db.community.update({ where: { domain }, data: { deletedAt: new Date() } });
    actAs(await makeUser());
    const again = await createCommunityAction(idleState, form({ ...(await valid()), domainKind: "own", ownDomain: domain }));
    expect(again.fields?.ownDomain).toMatch(/belonged to a community deleted from this host.*would not trust a new one/);
    expect(await counts()).toEqual(before);
  });
});
