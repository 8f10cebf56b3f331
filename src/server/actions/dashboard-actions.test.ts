// Every dashboard action, tried by everyone who must not succeed: a stranger (another
// account, including through IDs of another community), a signed-out visitor, a member, an
// admin where only the owner may act, and a host admin where the community decides. Each
// refusal is checked to leave the database exactly as it was.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ActionState } from "@/server/actions/action-state";
import { idleState } from "@/server/actions/action-state";
import { NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { actAs } from "@/server/testing/current-actor-mock";
import { addMember, communityState, form, makeCommunity, makeUser, unique } from "@/server/testing/fixtures";
import { redirectOf } from "@/server/testing/redirects";
import { hashInvitationToken } from "@/server/members/invitation-token";
import { deleteCommunityAction, updateSettingsAction } from "@/server/communities/actions";
import { changeRoleAction, inviteMemberAction, removeMemberAction, revokeInvitationAction } from "@/server/members/actions";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
vi.mock("next/cache", () => ({ refresh: vi.fn(), revalidatePath: vi.fn() }));

afterAll(() => db.$disconnect());

type World = Awaited<ReturnType<typeof makeWorld>>;
type Action = (state: ActionState, data: FormData) => Promise<ActionState>;

async function makeWorld() {
  const [owner, admin, member, stranger] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
  const host = await makeUser({ isHostAdmin: true });
  const community = await makeCommunity(owner);
  const ownerMembership = await db.membership.findFirstOrThrow({ where: { communityId: community.id, role: "OWNER" } });
  const adminMembership = await addMember(community.id, admin, "ADMIN");
  const secondAdmin = await addMember(community.id, await makeUser(), "ADMIN");
  const memberMembership = await addMember(community.id, member, "MEMBER");
  const secondMember = await addMember(community.id, await makeUser(), "MEMBER");
  const invitation = (role: "ADMIN" | "MEMBER") =>
    db.invitation.create({
      data: {
        communityId: community.id,
        email: `${unique("invited")}@example.test`,
        role,
        tokenHash: hashInvitationToken(unique("token-of-some-length")),
        expiresAt: new Date(Date.now() + 86_400_000),
        invitedById: owner.id,
      },
    });
  const memberInvitation = await invitation("MEMBER");
  const adminInvitation = await invitation("ADMIN");
  // The stranger's own community: its slug with the first community's IDs is the IDOR try.
  const strangers = await makeCommunity(stranger);
  return {
    owner, admin, member, stranger, host, community, strangers,
    ownerMembership, adminMembership, secondAdmin, memberMembership, secondMember, memberInvitation, adminInvitation,
  };
}

// Every action against the first community, with fields that would change something.
const attempts: Record<string, (w: World, slug?: string) => [Action, Record<string, string>]> = {
  "edit the settings": (w, slug = w.community.slug) => [updateSettingsAction, { community: slug, name: "Taken over", description: "<b>x</b>", rules: "" }],
  "delete the community": (w, slug = w.community.slug) => [deleteCommunityAction, { community: slug, confirm: slug }],
  "invite a member": (w, slug = w.community.slug) => [inviteMemberAction, { community: slug, email: `${unique("new")}@example.test`, role: "MEMBER" }],
  "invite an admin": (w, slug = w.community.slug) => [inviteMemberAction, { community: slug, email: `${unique("new")}@example.test`, role: "ADMIN" }],
  "withdraw a member invitation": (w, slug = w.community.slug) => [revokeInvitationAction, { community: slug, invitationId: w.memberInvitation.id }],
  "withdraw an admin invitation": (w, slug = w.community.slug) => [revokeInvitationAction, { community: slug, invitationId: w.adminInvitation.id }],
  "remove a member": (w, slug = w.community.slug) => [removeMemberAction, { community: slug, membershipId: w.secondMember.id }],
  "remove an admin": (w, slug = w.community.slug) => [removeMemberAction, { community: slug, membershipId: w.secondAdmin.id }],
  "remove the owner": (w, slug = w.community.slug) => [removeMemberAction, { community: slug, membershipId: w.ownerMembership.id }],
  "make a member admin": (w, slug = w.community.slug) => [changeRoleAction, { community: slug, membershipId: w.secondMember.id, role: "ADMIN" }],
  "demote an admin": (w, slug = w.community.slug) => [changeRoleAction, { community: slug, membershipId: w.secondAdmin.id, role: "MEMBER" }],
  "demote the owner": (w, slug = w.community.slug) => [changeRoleAction, { community: slug, membershipId: w.ownerMembership.id, role: "MEMBER" }],
};

async function attempt(world: World, actor: Actor | null, name: string, slug?: string): Promise<ActionState> {
  const [action, fields] = attempts[name]!(world, slug);
  actAs(actor);
  return action(idleState, form(fields));
}

async function expectRefusedWithoutChange(world: World, actor: Actor | null, name: string, message: RegExp | string, slug?: string) {
  const before = await communityState(world.community.id);
  const state = await attempt(world, actor, name, slug);
  expect(state.status, name).toBe("error");
  if (typeof message === "string") expect(state.message, name).toBe(message);
  else expect(state.message, name).toMatch(message);
  expect(await communityState(world.community.id), name).toEqual(before);
}

let world: World;
beforeEach(async () => {
  world = await makeWorld();
});

describe("a second account", () => {
  it.each(Object.keys(attempts))("cannot %s of someone else's community: 404, nothing changes", async (name) => {
    await expectRefusedWithoutChange(world, world.stranger, name, NOT_FOUND_MESSAGE);
  });

  it.each(Object.keys(attempts).filter((name) => !/settings|delete|invite a/.test(name)))(
    "cannot %s by naming its own community with the other community's IDs",
    async (name) => {
      await expectRefusedWithoutChange(world, world.stranger, name, /no such/, world.strangers.slug);
      expect(await communityState(world.strangers.id)).toMatchObject({ invitations: [] });
    },
  );
});

describe("a signed-out visitor", () => {
  it.each(Object.keys(attempts))("cannot %s", async (name) => {
    await expectRefusedWithoutChange(world, null, name, /Sign in again/);
  });
});

describe("a member", () => {
  it.each(Object.keys(attempts))("cannot %s: refused, nothing changes", async (name) => {
    await expectRefusedWithoutChange(world, world.member, name, /not allow|Only the owner|owner cannot|owner's role/);
  });

  it("can leave the community", async () => {
    actAs(world.member);
    const to = await redirectOf(removeMemberAction(idleState, form({ community: world.community.slug, membershipId: world.memberMembership.id })));
    expect(to).toBe("/dashboard?left=1");
    expect(await db.membership.findUnique({ where: { id: world.memberMembership.id } })).toBeNull();
  });
});

describe("an admin", () => {
  it.each(["delete the community", "invite an admin", "withdraw an admin invitation", "remove an admin", "remove the owner", "make a member admin", "demote an admin", "demote the owner"])(
    "cannot %s (owner only): refused, nothing changes",
    async (name) => {
      await expectRefusedWithoutChange(world, world.admin, name, /not allow|Only the owner|owner cannot|owner's role/);
    },
  );

  it("can edit the settings, invite and remove members, and withdraw member invitations", async () => {
    expect(await attempt(world, world.admin, "edit the settings")).toMatchObject({ status: "ok" });
    expect((await db.community.findUniqueOrThrow({ where: { id: world.community.id } })).name).toBe("Taken over");
    expect(await attempt(world, world.admin, "invite a member")).toMatchObject({ status: "ok" });
    expect(await attempt(world, world.admin, "remove a member")).toMatchObject({ status: "ok" });
    expect(await attempt(world, world.admin, "withdraw a member invitation")).toMatchObject({ status: "ok" });
    expect(await db.membership.findUnique({ where: { id: world.secondMember.id } })).toBeNull();
    expect(await db.invitation.findUnique({ where: { id: world.memberInvitation.id } })).toBeNull();
  });
});

describe("a host admin who is not a member", () => {
  it.each(["edit the settings", "invite a member", "invite an admin", "withdraw a member invitation", "remove a member", "make a member admin"])(
    "cannot %s: the community governs itself",
    async (name) => {
      await expectRefusedWithoutChange(world, world.host, name, /not allow/);
    },
  );

  it("can delete a tenant that has no instance", async () => {
    actAs(world.host);
    const to = await redirectOf(deleteCommunityAction(idleState, form({ community: world.community.slug, confirm: world.community.slug })));
    expect(to).toBe("/dashboard?deleted=1");
    expect(await db.community.findUnique({ where: { id: world.community.id } })).toBeNull();
  });
});

describe("the owner", () => {
  it("cannot remove or demote themselves", async () => {
    await expectRefusedWithoutChange(world, world.owner, "remove the owner", /owner cannot be removed/);
    await expectRefusedWithoutChange(world, world.owner, "demote the owner", /owner's role/);
  });

  it("changes roles, and invites admins with a link whose token is stored only as a hash", async () => {
    expect(await attempt(world, world.owner, "make a member admin")).toMatchObject({ status: "ok" });
    expect((await db.membership.findUniqueOrThrow({ where: { id: world.secondMember.id } })).role).toBe("ADMIN");
    expect(await attempt(world, world.owner, "demote an admin")).toMatchObject({ status: "ok" });
    expect((await db.membership.findUniqueOrThrow({ where: { id: world.secondAdmin.id } })).role).toBe("MEMBER");

    actAs(world.owner);
    const email = `${unique("Newcomer")}@Example.test`;
    const state = await inviteMemberAction(idleState, form({ community: world.community.slug, email, role: "ADMIN" }));
    expect(state.status).toBe("ok");
    const link = new URL(state.data!.link!);
    expect(link.origin).toBe("http://hearth.test");
    const token = link.pathname.split("/").pop()!;
    const stored = await db.invitation.findFirstOrThrow({ where: { communityId: world.community.id, email: email.toLowerCase() } });
    expect(stored.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.role).toBe("ADMIN");
  });

  it("replaces an open invitation for the same email, and refuses to invite a member", async () => {
    actAs(world.owner);
    const again = await inviteMemberAction(idleState, form({ community: world.community.slug, email: world.memberInvitation.email, role: "MEMBER" }));
    expect(again.status).toBe("ok");
    expect(await db.invitation.count({ where: { communityId: world.community.id, email: world.memberInvitation.email } })).toBe(1);
    expect(await db.invitation.findUnique({ where: { id: world.memberInvitation.id } })).toBeNull();

    const before = await communityState(world.community.id);
    const state = await inviteMemberAction(idleState, form({ community: world.community.slug, email: world.member.email, role: "MEMBER" }));
    expect(state.fields?.email).toMatch(/already a member/);
    expect(await communityState(world.community.id)).toEqual(before);
  });

  it("must type the address to delete; a community with a server is taken down, exported first when ticked", async () => {
    actAs(world.owner);
    const before = await communityState(world.community.id);
    const wrong = await deleteCommunityAction(idleState, form({ community: world.community.slug, confirm: "yes", exportFirst: "on" }));
    expect(wrong.fields?.confirm).toMatch(/Type the address/);
    expect(wrong.values).toMatchObject({ confirm: "yes", exportFirst: "on" });
    expect(await communityState(world.community.id)).toEqual(before);

    // Issue 11, problem 5: this was a dead end ("export it and take it down before deleting").
    const live = await makeCommunity(world.owner);
    await db.community.update({ where: { id: live.id }, data: { status: "LIVE" } });
    await db.instance.create({ data: { communityId: live.id, phase: "RUNNING", images: { app: "a:1", db: "d:1", redis: "r:1" }, provisionedAt: new Date() } });
    expect(await redirectOf(deleteCommunityAction(idleState, form({ community: live.slug, confirm: live.slug, exportFirst: "on" })))).toBe("/dashboard?deleted=1");
    expect(await db.community.findUniqueOrThrow({ where: { id: live.id }, include: { instance: true } })).toMatchObject({
      deletedAt: expect.any(Date),
      instance: { desiredState: "DELETED", exportFirst: true },
    });
  });

  it("deletes the community with its memberships and invitations", async () => {
    actAs(world.owner);
    const to = await redirectOf(deleteCommunityAction(idleState, form({ community: world.community.slug, confirm: world.community.slug })));
    expect(to).toBe("/dashboard?deleted=1");
    expect(await db.membership.count({ where: { communityId: world.community.id } })).toBe(0);
    expect(await db.invitation.count({ where: { communityId: world.community.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { communityId: world.community.id, action: "community.deleted" } })).toBe(1);
  });

  it("gets field errors and typed values back for bad settings, and nothing changes", async () => {
    const before = await communityState(world.community.id);
    actAs(world.owner);
    const typed = { community: world.community.slug, name: "x".repeat(300), description: "fine", rules: "r".repeat(6000) };
    const state = await updateSettingsAction(idleState, form(typed));
    expect(state.fields).toMatchObject({ name: expect.stringMatching(/at most 60/), rules: expect.stringMatching(/5000/) });
    expect(state.values).toEqual(typed);
    expect(await communityState(world.community.id)).toEqual(before);
  });
});
