import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { makeUser } from "@/server/testing/fixtures";
import { decodeSession, encodeSession } from "./session-cookie";
import { HOST_ADMIN_SESSION, MEMBER_SESSION } from "./session-policy";
import { actorFromSession, createUserSession, endSessionOfToken, endSessionsOf, listOwnSessions, purgeSessions } from "./sessions";

afterAll(() => db.$disconnect());

const origin = { method: "password", address: "192.0.2.10", userAgent: "vitest" };

async function signedIn(user: { id: string; email: string; name: string | null }, at = new Date()) {
  const sid = await createUserSession(user.id, origin, at);
  return { sid, cookie: await encodeSession(user, sid) };
}

describe("sessions", () => {
  it("reads back the person from a session cookie, fresh from the database", async () => {
    const user = await makeUser({ name: "Grace" });
    const { cookie, sid } = await signedIn(user);
    expect(await actorFromSession(cookie)).toEqual({ ...user, sessionId: sid });
    await db.user.update({ where: { id: user.id }, data: { name: "Grace H." } });
    expect((await actorFromSession(cookie))?.name).toBe("Grace H.");
  });

  it("refuses missing, garbled, forged, expired and row-less tokens", async () => {
    const user = await makeUser();
    const { cookie, sid } = await signedIn(user);
    expect(await actorFromSession(undefined)).toBeNull();
    expect(await actorFromSession("not-a-token")).toBeNull();
    expect(await actorFromSession(cookie.slice(0, -4) + "AAAA")).toBeNull();
    const forged = await encode({ token: { sub: user.id, sid }, secret: "some-other-secret-of-enough-length-123456" });
    expect(await actorFromSession(forged)).toBeNull();
    const expired = await encode({ token: { sub: user.id, sid }, secret: process.env.NEXTAUTH_SECRET!, maxAge: -60 });
    expect(await actorFromSession(expired)).toBeNull();
    // A token of the old kind (no session row) and one naming someone else's row are nobody's.
    const oldKind = await encode({ token: { sub: user.id }, secret: process.env.NEXTAUTH_SECRET! });
    expect(await actorFromSession(oldKind)).toBeNull();
    const other = await makeUser();
    const swapped = await encode({ token: { sub: other.id, sid }, secret: process.env.NEXTAUTH_SECRET! });
    expect(await actorFromSession(swapped)).toBeNull();
  });

  it("refuses a signed-out token even when its cookie is replayed; other sessions live on", async () => {
    const user = await makeUser();
    const first = await signedIn(user);
    const second = await signedIn(user);
    await endSessionOfToken(await decodeSession(first.cookie));
    expect(await actorFromSession(first.cookie)).toBeNull();
    expect(await actorFromSession(second.cookie)).not.toBeNull();
  });

  it("signs out everywhere", async () => {
    const user = await makeUser();
    const cookies = [await signedIn(user), await signedIn(user), await signedIn(user)];
    expect(await endSessionsOf(user.id, "signed-out-everywhere")).toBe(3);
    for (const { cookie } of cookies) expect(await actorFromSession(cookie)).toBeNull();
    expect(await listOwnSessions(user.id)).toEqual([]);
  });

  it("ends a member's session after the idle timeout and after the absolute lifetime, whatever the activity", async () => {
    const user = await makeUser();
    const start = new Date("2026-01-01T00:00:00Z");
    const idle = await signedIn(user, start);
    const idleEdge = new Date(start.getTime() + MEMBER_SESSION.idleSeconds * 1000);
    expect(await actorFromSession(idle.cookie, new Date(idleEdge.getTime() - 1000))).not.toBeNull();
    // Seen just now: the idle clock restarts from there.
    expect(await actorFromSession(idle.cookie, new Date(idleEdge.getTime() + MEMBER_SESSION.idleSeconds * 500))).not.toBeNull();
    expect(await actorFromSession(idle.cookie, new Date(idleEdge.getTime() + MEMBER_SESSION.idleSeconds * 1500 + 1000))).toBeNull();
    expect((await db.userSession.findUnique({ where: { id: idle.sid } }))?.endedReason).toBe("idle");

    const busy = await signedIn(user, start);
    let now = start.getTime();
    const step = MEMBER_SESSION.idleSeconds * 1000 - 60_000;
    while (now + step < start.getTime() + MEMBER_SESSION.absoluteSeconds * 1000) {
      now += step;
      expect(await actorFromSession(busy.cookie, new Date(now))).not.toBeNull();
    }
    expect(await actorFromSession(busy.cookie, new Date(start.getTime() + MEMBER_SESSION.absoluteSeconds * 1000))).toBeNull();
    expect((await db.userSession.findUnique({ where: { id: busy.sid } }))?.endedReason).toBe("expired");
  });

  it("ends a host admin's session sooner: 30 minutes idle, 12 hours in all", async () => {
    const admin = await makeUser({ isHostAdmin: true });
    const start = new Date("2026-01-02T00:00:00Z");
    const idle = await signedIn(admin, start);
    expect(await actorFromSession(idle.cookie, new Date(start.getTime() + HOST_ADMIN_SESSION.idleSeconds * 1000 - 1000))).not.toBeNull();
    const later = await signedIn(admin, start);
    expect(await actorFromSession(later.cookie, new Date(start.getTime() + HOST_ADMIN_SESSION.idleSeconds * 1000))).toBeNull();
    const busy = await signedIn(admin, start);
    for (let t = 20 * 60_000; t < HOST_ADMIN_SESSION.absoluteSeconds * 1000; t += 20 * 60_000) {
      expect(await actorFromSession(busy.cookie, new Date(start.getTime() + t))).not.toBeNull();
    }
    expect(await actorFromSession(busy.cookie, new Date(start.getTime() + HOST_ADMIN_SESSION.absoluteSeconds * 1000))).toBeNull();
  });

  it("refuses the token of a deleted account", async () => {
    const user = await makeUser();
    const { cookie } = await signedIn(user);
    await db.user.delete({ where: { id: user.id } });
    expect(await actorFromSession(cookie)).toBeNull();
  });

  it("lets the worker purge rows past their lifetime and ended ones after a week", async () => {
    const user = await makeUser();
    const old = await signedIn(user, new Date(Date.now() - (MEMBER_SESSION.absoluteSeconds + 60) * 1000));
    const ended = await signedIn(user);
    await db.userSession.update({ where: { id: ended.sid }, data: { endedAt: new Date(Date.now() - 8 * 86_400_000) } });
    const live = await signedIn(user);
    await purgeSessions();
    const left = (await db.userSession.findMany({ where: { userId: user.id }, select: { id: true } })).map((r) => r.id);
    expect(left).toEqual([live.sid]);
    expect(left).not.toContain(old.sid);
  });
});
