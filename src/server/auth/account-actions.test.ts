// Account settings actions through a cookie jar standing in for the browser, with real session
// rows: what each kind of person can and cannot do to sessions, passwords and the second factor.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { idleState } from "@/server/actions/action-state";
import { hashPassword } from "@/server/auth/password";
import { encodeSession } from "@/server/auth/session-cookie";
import { actorFromSession, createUserSession } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { form, unique } from "@/server/testing/fixtures";
import { redirectOf } from "@/server/testing/redirects";
import { changePasswordAction, confirmTotpAction, endSessionAction, signOutEverywhereAction, verifySecondFactorAction } from "./account-actions";

const browser = vi.hoisted(() => ({ jar: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-hearth-client-address": "192.0.2.200", "user-agent": "vitest" }),
  cookies: async () => ({
    get: (name: string) => (browser.jar.has(name) ? { name, value: browser.jar.get(name) } : undefined),
    getAll: () => [...browser.jar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string, options?: { maxAge?: number }) => {
      if (options?.maxAge === 0) browser.jar.delete(name);
      else browser.jar.set(name, value);
    },
  }),
}));

afterAll(() => db.$disconnect());

const SESSION = "next-auth.session-token";
const PASSWORD = "a long enough password";

async function person() {
  const user = await db.user.create({ data: { email: `${unique("acct")}@example.test`, name: "Acct", passwordHash: await hashPassword(PASSWORD) } });
  const session = async () => {
    const sid = await createUserSession(user.id, { method: "password", address: "192.0.2.200", userAgent: "vitest" });
    return { sid, cookie: await encodeSession(user, sid) };
  };
  return { user, session };
}

const use = (cookie: string | null) => {
  browser.jar.clear();
  if (cookie) browser.jar.set(SESSION, cookie);
};

beforeEach(() => browser.jar.clear());

describe("account actions", () => {
  it("refuse a signed-out visitor, every one of them", async () => {
    use(null);
    for (const [action, fields] of [
      [changePasswordAction, { currentPassword: PASSWORD, newPassword: "another long password", confirmPassword: "another long password" }],
      [endSessionAction, { session: "x" }],
      [signOutEverywhereAction, {}],
      [confirmTotpAction, { code: "123456", password: PASSWORD }],
      [verifySecondFactorAction, { code: "123456" }],
    ] as const) {
      const state = await action(idleState, form(fields as Record<string, string>));
      expect(state).toMatchObject({ status: "error", message: "Your session has ended. Sign in again." });
    }
  });

  it("cannot end someone else's session by its id", async () => {
    const victim = await person();
    const target = await victim.session();
    const attacker = await person();
    use((await attacker.session()).cookie);
    expect(await redirectOf(endSessionAction(idleState, form({ session: target.sid })))).toBe("/account?ended=1");
    expect(await actorFromSession(target.cookie)).not.toBeNull();
  });

  it("change the password only with the current one; the other sessions end and a notice is queued", async () => {
    const me = await person();
    const here = await me.session();
    const elsewhere = await me.session();
    use(here.cookie);
    const wrong = await changePasswordAction(idleState, form({ currentPassword: "nope", newPassword: "another long password", confirmPassword: "another long password" }));
    expect(wrong).toMatchObject({ status: "error", fields: { currentPassword: "Your current password is wrong." } });
    // None of the three passwords comes back to the page.
    expect(JSON.stringify(wrong)).not.toContain("another long password");
    expect(JSON.stringify(wrong)).not.toContain("nope");
    const mismatch = await changePasswordAction(idleState, form({ currentPassword: PASSWORD, newPassword: "another long password", confirmPassword: "different" }));
    expect(mismatch.fields).toMatchObject({ confirmPassword: "The two new passwords differ." });
    expect(await actorFromSession(elsewhere.cookie)).not.toBeNull();

    const ok = await changePasswordAction(idleState, form({ currentPassword: PASSWORD, newPassword: "another long password", confirmPassword: "another long password" }));
    expect(ok).toMatchObject({ status: "ok", message: "Your password is changed. One other session was signed out." });
    expect(await actorFromSession(here.cookie)).not.toBeNull();
    expect(await actorFromSession(elsewhere.cookie)).toBeNull();
    expect(await db.emailOutbox.count({ where: { toUserId: me.user.id, kind: "account.password_changed", sentAt: null } })).toBe(1);
  });

  it("sign out everywhere ends every session of the person and no one else's", async () => {
    const me = await person();
    const other = await person();
    const theirs = await other.session();
    const sessions = [await me.session(), await me.session()];
    use(sessions[0]!.cookie);
    expect(await redirectOf(signOutEverywhereAction(idleState, form({})))).toBe("/");
    expect(browser.jar.has(SESSION)).toBe(false);
    for (const { cookie } of sessions) expect(await actorFromSession(cookie)).toBeNull();
    expect(await actorFromSession(theirs.cookie)).not.toBeNull();
  });

  it("the second factor does not exist for people who are not host admins", async () => {
    const me = await person();
    use((await me.session()).cookie);
    expect(await confirmTotpAction(idleState, form({ code: "123456", password: PASSWORD }))).toMatchObject({ status: "error", message: "This page could not be found." });
    expect(await verifySecondFactorAction(idleState, form({ code: "123456" }))).toMatchObject({ status: "error", message: "This page could not be found." });
  });
});
