// Accepting an invitation: only by the invited email, only while valid, and idempotently
// (a replayed or double-clicked form changes nothing more).
import { afterAll, describe, expect, it, vi } from "vitest";
import { idleState } from "@/server/actions/action-state";
import { db } from "@/server/db/client";
import { inviteMember } from "@/server/members/invite-member";
import { getInvitation } from "@/server/members/get-invitation";
import { actAs } from "@/server/testing/current-actor-mock";
import { addMember, communityState, form, makeCommunity, makeUser } from "@/server/testing/fixtures";
import { redirectOf } from "@/server/testing/redirects";
import { acceptInvitationAction } from "./actions";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));

afterAll(() => db.$disconnect());

async function invited(role: "ADMIN" | "MEMBER" = "MEMBER") {
  const owner = await makeUser();
  const community = await makeCommunity(owner);
  const guest = await makeUser();
  const { path } = await inviteMember(owner, { community: community.slug, email: guest.email, role });
  return { owner, community, guest, token: path.split("/").pop()! };
}

describe("acceptInvitationAction", () => {
  it("makes the invited person a member with the invited role, once, however often the form is sent", async () => {
    const { community, guest, token } = await invited("ADMIN");
    actAs(guest);
    expect(await redirectOf(acceptInvitationAction(idleState, form({ token })))).toBe(`/dashboard/${community.slug}`);
    const after = await communityState(community.id);
    expect(after.memberships.filter((m) => m.userId === guest.id)).toEqual([expect.objectContaining({ role: "ADMIN" })]);
    // Replayed: same answer, no change at all.
    expect(await redirectOf(acceptInvitationAction(idleState, form({ token })))).toBe(`/dashboard/${community.slug}`);
    expect(await communityState(community.id)).toEqual(after);
    expect(await getInvitation(token, guest)).toMatchObject({ state: "accepted-by-you" });
  });

  it("survives two accepts at the same moment with one membership", async () => {
    const { community, guest, token } = await invited();
    actAs(guest);
    await Promise.allSettled([acceptInvitationAction(idleState, form({ token })), acceptInvitationAction(idleState, form({ token }))]);
    expect(await db.membership.count({ where: { communityId: community.id, userId: guest.id } })).toBe(1);
  });

  it("refuses another account, even one holding the link, and changes nothing", async () => {
    const { community, token } = await invited();
    const before = await communityState(community.id);
    actAs(await makeUser());
    const state = await acceptInvitationAction(idleState, form({ token }));
    expect(state).toMatchObject({ status: "error", message: expect.stringMatching(/This invitation is for/) });
    expect(await communityState(community.id)).toEqual(before);
  });

  it("refuses the link once someone accepted it, to anyone else", async () => {
    const { community, guest, token } = await invited();
    actAs(guest);
    await redirectOf(acceptInvitationAction(idleState, form({ token })));
    const other = await makeUser();
    actAs(other);
    const state = await acceptInvitationAction(idleState, form({ token }));
    expect(state.message).toMatch(/not valid any more/);
    expect(await getInvitation(token, other)).toEqual({ state: "invalid" });
    expect(await db.membership.count({ where: { communityId: community.id, userId: other.id } })).toBe(0);
  });

  it("refuses expired, withdrawn and made-up tokens without change", async () => {
    const { community, guest, token } = await invited();
    await db.invitation.updateMany({ where: { communityId: community.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await communityState(community.id);
    actAs(guest);
    expect((await acceptInvitationAction(idleState, form({ token }))).message).toMatch(/expired/);
    expect((await acceptInvitationAction(idleState, form({ token: "made-up-token-0123456789" }))).message).toMatch(/not valid/);
    expect((await acceptInvitationAction(idleState, form({ token: "short" }))).status).toBe("error");
    expect(await communityState(community.id)).toEqual(before);
    expect(await getInvitation("made-up-token-0123456789", guest)).toEqual({ state: "invalid" });
  });

  it("never lowers the role of someone who is already a member", async () => {
    const { community, guest, token } = await invited("MEMBER");
    await addMember(community.id, guest, "ADMIN");
    actAs(guest);
    await redirectOf(acceptInvitationAction(idleState, form({ token })));
    expect((await db.membership.findFirstOrThrow({ where: { communityId: community.id, userId: guest.id } })).role).toBe("ADMIN");
  });

  it("asks a signed-out visitor to sign in", async () => {
    const { community, token } = await invited();
    const before = await communityState(community.id);
    actAs(null);
    expect((await acceptInvitationAction(idleState, form({ token }))).message).toMatch(/Sign in/);
    expect(await communityState(community.id)).toEqual(before);
  });
});
