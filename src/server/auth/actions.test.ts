// Sign-up, sign-in and sign-out through their form actions, with a cookie jar standing in
// for the browser: the session they start is one next-auth reads, and signing out ends it
// for good.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { idleState } from "@/server/actions/action-state";
import { actorFromSession } from "@/server/auth/sessions";
import { WRONG_CREDENTIALS } from "@/server/auth/sign-in";
import { db } from "@/server/db/client";
import { form, unique } from "@/server/testing/fixtures";
import { redirectOf } from "@/server/testing/redirects";
import { signInAction, signOutAction, signUpAction } from "./actions";

const browser = vi.hoisted(() => ({ jar: new Map<string, string>(), address: "192.0.2.1" }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-hearth-client-address": browser.address, "user-agent": "vitest" }),
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

const SESSION = "next-auth.session-token"; // NEXTAUTH_URL is http:// in tests
const PASSWORD = "a long enough password";
let n = 0;

beforeEach(() => {
  browser.jar.clear();
  browser.address = `192.0.2.${++n}`;
});

describe("account actions", () => {
  it("signs up, starts a session and goes to the start form; refuses foreign callback URLs", async () => {
    const email = `${unique("new")}@example.test`;
    const to = await redirectOf(signUpAction(idleState, form({ name: "Lin", email, password: PASSWORD, callbackUrl: "//evil.example/x" })));
    expect(to).toBe("/start");
    const actor = await actorFromSession(browser.jar.get(SESSION));
    expect(actor).toMatchObject({ email, name: "Lin" });
  });

  it("gives sign-up errors at their fields and never echoes the password", async () => {
    const before = await db.user.count();
    const state = await signUpAction(idleState, form({ name: "", email: "nope", password: "short" }));
    expect(state.fields).toMatchObject({ email: expect.any(String), password: expect.stringMatching(/10 characters/) });
    expect(state.values).toEqual({ name: "", email: "nope" });
    expect(browser.jar.size).toBe(0);
    expect(await db.user.count()).toBe(before);
  });

  it("signs in to the page asked for; a wrong password keeps the email and says nothing about the account", async () => {
    const email = `${unique("back")}@example.test`;
    await redirectOf(signUpAction(idleState, form({ email, password: PASSWORD })));
    browser.jar.clear();

    const wrong = await signInAction(idleState, form({ email, password: "not it", callbackUrl: "/dashboard" }));
    const unknown = await signInAction(idleState, form({ email: `${unique("ghost")}@example.test`, password: "not it" }));
    expect(wrong).toMatchObject({ status: "error", message: WRONG_CREDENTIALS, values: { email, callbackUrl: "/dashboard" } });
    expect(unknown.message).toBe(wrong.message);
    expect(JSON.stringify(wrong)).not.toContain("not it");
    expect(browser.jar.size).toBe(0);

    const to = await redirectOf(signInAction(idleState, form({ email, password: PASSWORD, callbackUrl: "/c/somewhere" })));
    expect(to).toBe("/c/somewhere");
    expect(await actorFromSession(browser.jar.get(SESSION))).toMatchObject({ email });
  });

  it("signs out: the cookie goes, and a copy of it no longer works", async () => {
    await redirectOf(signUpAction(idleState, form({ email: `${unique("bye")}@example.test`, password: PASSWORD })));
    const copy = browser.jar.get(SESSION);
    expect(await actorFromSession(copy)).not.toBeNull();
    expect(await redirectOf(signOutAction())).toBe("/");
    expect(browser.jar.has(SESSION)).toBe(false);
    expect(await actorFromSession(copy)).toBeNull();
  });
});
