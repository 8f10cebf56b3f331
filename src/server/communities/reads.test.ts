// The reads behind the pages (/c/<address>, /dashboard/<address>, its members page):
// nobody sees what they may not, and the answer is "not found", not "forbidden".
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { listMembers } from "@/server/members/list-members";
import { addMember, makeCommunity, makeUser } from "@/server/testing/fixtures";
import { getDashboardCommunity } from "./get-dashboard-community";
import { getPublicCommunity } from "./get-public-community";
import { listMyCommunities } from "./list-my-communities";

afterAll(() => db.$disconnect());

async function code(promise: Promise<unknown>) {
  return promise.then(
    () => "OK",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );
}

describe("reading communities", () => {
  it("shows a public community to everyone, with the dashboard link only for its people", async () => {
    const owner = await makeUser();
    const community = await makeCommunity(owner);
    const anonymous = await getPublicCommunity(community.slug, null);
    expect(anonymous).toMatchObject({ name: community.name, status: "AWAITING_FUNDING", viewerCanManage: false });
    expect(anonymous?.plan).toMatchObject({ name: "Small", monthlyCost: 1500 });
    expect((await getPublicCommunity(community.slug, await makeUser()))?.viewerCanManage).toBe(false);
    expect((await getPublicCommunity(community.slug, owner))?.viewerCanManage).toBe(true);
  });

  it("hides drafts from everyone but their people, and unknown or malformed addresses from all", async () => {
    const owner = await makeUser();
    const community = await makeCommunity(owner);
    await db.community.update({ where: { id: community.id }, data: { status: "DRAFT" } });
    expect(await getPublicCommunity(community.slug, null)).toBeNull();
    expect(await getPublicCommunity(community.slug, await makeUser())).toBeNull();
    expect(await getPublicCommunity(community.slug, owner)).not.toBeNull();
    expect(await getPublicCommunity("no-such-town-at-all", owner)).toBeNull();
    expect(await getPublicCommunity("../../etc/passwd", owner)).toBeNull();
    expect(await getPublicCommunity(community.slug.toUpperCase(), owner)).toBeNull();
  });

  it("opens the dashboard and member list to members and host admins only", async () => {
    const owner = await makeUser();
    const member = await makeUser();
    const stranger = await makeUser();
    const host = await makeUser({ isHostAdmin: true });
    const community = await makeCommunity(owner);
    await addMember(community.id, member, "MEMBER");

    expect(await getDashboardCommunity(stranger, community.slug)).toBeNull();
    expect(await code(listMembers(stranger, community.slug))).toBe("NOT_FOUND");
    expect(await listMyCommunities(stranger)).toEqual([]);

    const asMember = await getDashboardCommunity(member, community.slug);
    expect(asMember).toMatchObject({ role: "MEMBER" });
    expect(asMember?.permissions).not.toContain("community.write");
    const members = await listMembers(member, community.slug);
    // A member sees names, not other people's email addresses, and no invitations.
    expect(members.members.find((m) => !m.isYou)?.email).toBeNull();
    expect(members.invitations).toEqual([]);

    const ownersView = await listMembers(owner, community.slug);
    expect(ownersView.members.every((m) => m.email)).toBe(true);

    const asHost = await getDashboardCommunity(host, community.slug);
    expect(asHost).toMatchObject({ role: null });
    expect(asHost?.permissions).toEqual(expect.arrayContaining(["community.read", "instance.manage", "community.delete"]));
    expect(asHost?.permissions).not.toContain("community.write");
  });
});
