import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { makeUser } from "@/server/testing/fixtures";
import { decodeSession, encodeSession } from "./session-cookie";
import { actorFromSession, revokeSession } from "./sessions";

afterAll(() => db.$disconnect());

describe("sessions", () => {
  it("reads back the person from a session cookie, fresh from the database", async () => {
    const user = await makeUser({ name: "Grace" });
    const cookie = await encodeSession(user);
    expect(await actorFromSession(cookie)).toEqual({ ...user, isHostAdmin: false });
    await db.user.update({ where: { id: user.id }, data: { isHostAdmin: true } });
    expect((await actorFromSession(cookie))?.isHostAdmin).toBe(true);
  });

  it("refuses missing, garbled, forged and expired tokens", async () => {
    const user = await makeUser();
    expect(await actorFromSession(undefined)).toBeNull();
    expect(await actorFromSession("not-a-token")).toBeNull();
    const cookie = await encodeSession(user);
    expect(await actorFromSession(cookie.slice(0, -4) + "AAAA")).toBeNull();
    const forged = await encode({ token: { sub: user.id }, secret: "some-other-secret-of-enough-length-123456" });
    expect(await actorFromSession(forged)).toBeNull();
    const expired = await encode({ token: { sub: user.id }, secret: process.env.NEXTAUTH_SECRET!, maxAge: -60 });
    expect(await actorFromSession(expired)).toBeNull();
  });

  it("refuses a signed-out token even when its cookie is replayed", async () => {
    const user = await makeUser();
    const cookie = await encodeSession(user);
    await revokeSession(await decodeSession(cookie));
    expect(await actorFromSession(cookie)).toBeNull();
    expect(await actorFromSession(await encodeSession(user))).not.toBeNull(); // other sessions live on
  });

  it("refuses the token of a deleted account", async () => {
    const user = await makeUser();
    const cookie = await encodeSession(user);
    await db.user.delete({ where: { id: user.id } });
    expect(await actorFromSession(cookie)).toBeNull();
  });
});
