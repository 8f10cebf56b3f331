// Verification at sign-up: the mail is queued with the account, the link confirms the address
// once, an unverified account cannot own a community, and changing the address is confirmed at
// the new one with a notice to the old.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { lastToken, queuedFor } from "@/server/mail/testing/outbox";
import { makeCommunity, makeUser, unique } from "@/server/testing/fixtures";
import { confirmEmailChange, requestEmailChange } from "./change-email";
import { resendVerification, verifyEmail } from "./email-verification";
import { signUp } from "./sign-up";
import { toActor } from "./actor";

afterAll(() => db.$disconnect());

const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as AppError);
const client = () => ({ address: `198.20.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
const PASSWORD = "a long enough password";

describe("email verification", () => {
  it("queues the verification mail with the new account; its link confirms the address once", async () => {
    const email = `${unique("newbie")}@example.test`;
    const user = await signUp({ name: null, email, password: PASSWORD }, client());
    expect((await queuedFor(email)).map((m) => m.kind)).toEqual(["account.verify_email"]);
    const token = await lastToken(email, "account.verify_email");
    expect(await verifyEmail(token)).toEqual({ email });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).not.toBeNull();
    expect(await failure(verifyEmail(token))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(resendVerification(user.id))).toMatchObject({ code: "CONFLICT" });
  });

  it("does not let an unverified account start a community, and does once it is verified", async () => {
    const email = `${unique("owner")}@example.test`;
    const user = await signUp({ name: null, email, password: PASSWORD }, client());
    const actor = toActor({ ...user, isHostAdmin: false });
    const before = await db.community.count();
    expect(await failure(makeCommunity(actor))).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Confirm your email address/) });
    expect(await db.community.count()).toBe(before);
    await resendVerification(user.id);
    await verifyEmail(await lastToken(email, "account.verify_email"));
    expect((await makeCommunity(actor)).ownerId).toBe(user.id);
  });

  it("changes the address only through the link sent to the new one, and tells the old one", async () => {
    const person = await makeUser();
    await db.user.update({ where: { id: person.id }, data: { passwordHash: await (await import("./password")).hashPassword(PASSWORD) } });
    const next = `${unique("moved")}@example.test`;
    expect(await failure(requestEmailChange(person.id, { email: next, password: "wrong password!" }))).toMatchObject({ fields: { password: expect.any(String) } });
    const taken = await makeUser();
    expect(await failure(requestEmailChange(person.id, { email: taken.email, password: PASSWORD }))).toMatchObject({ fields: { email: expect.stringMatching(/Another account/) } });

    await requestEmailChange(person.id, { email: next, password: PASSWORD });
    expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).email).toBe(person.email);
    const token = await lastToken(next, "account.email_change_confirm");
    expect(await confirmEmailChange(token)).toEqual({ email: next });
    expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).email).toBe(next);
    expect((await queuedFor(person.email, "account.email_change_notice"))[0]?.data).toEqual({ newEmail: next });
    expect(await failure(confirmEmailChange(token))).toMatchObject({ code: "NOT_FOUND" });
  });
});
