// Password reset: same answer for any address, a link that works once for an hour and is only
// stored hashed, limits that cannot be used to learn anything, and every session ended.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { lastToken, queuedFor } from "@/server/mail/testing/outbox";
import { unique } from "@/server/testing/fixtures";
import { hashEmailToken } from "./email-tokens";
import { RESET_PER_EMAIL, RESET_REQUESTED, requestPasswordReset, resetPassword } from "./password-reset";
import { encodeSession } from "./session-cookie";
import { actorFromSession, createUserSession } from "./sessions";
import { verifyCredentials } from "./sign-in";
import { signUp } from "./sign-up";

afterAll(() => db.$disconnect());

const client = () => ({ address: `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
const OLD = "the old password here";
const NEW = "a brand new password";

async function person() {
  const email = `${unique("forgetful")}@example.test`;
  const user = await signUp({ name: null, email, password: OLD }, client());
  const sid = await createUserSession(user.id, { method: "password", address: client().address, userAgent: null });
  return { ...user, cookie: await encodeSession(user, sid) };
}

const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as AppError);

describe("password reset", () => {
  it("answers the same for a known and an unknown address, and mails only the known one", async () => {
    const known = await person();
    const unknown = `${unique("nobody")}@example.test`;
    expect(await requestPasswordReset(known.email, client())).toBe(RESET_REQUESTED);
    expect(await requestPasswordReset(unknown, client())).toBe(RESET_REQUESTED);
    expect(await queuedFor(known.email, "account.password_reset")).toHaveLength(1);
    expect(await queuedFor(unknown)).toHaveLength(0);
  });

  it("stores only the hash of the token; the link is sealed in the outbox", async () => {
    const p = await person();
    await requestPasswordReset(p.email, client());
    const token = await lastToken(p.email, "account.password_reset");
    const [row] = await db.emailToken.findMany({ where: { userId: p.id, purpose: "RESET_PASSWORD" } });
    expect(row!.tokenHash).toBe(hashEmailToken(token));
    const stored = JSON.stringify(await db.emailOutbox.findMany({ where: { toEmail: p.email }, omit: { secretsSealed: false } }));
    expect(stored).not.toContain(token);
    // One hour (the two times come from two clocks: the database's and the app's).
    expect(Math.abs(row!.expiresAt.getTime() - row!.createdAt.getTime() - 3600_000)).toBeLessThan(5_000);
  });

  it("sets the new password once, ends every session, and the link cannot be used again", async () => {
    const p = await person();
    expect(await actorFromSession(p.cookie)).not.toBeNull();
    await requestPasswordReset(p.email, client());
    const token = await lastToken(p.email, "account.password_reset");
    // A clock two seconds on: sessions are dated to the second.
    await resetPassword({ token, password: NEW }, new Date(Date.now() + 2000));
    expect(await actorFromSession(p.cookie)).toBeNull();
    expect(await failure(verifyCredentials({ email: p.email, password: OLD }, client()))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await verifyCredentials({ email: p.email, password: NEW }, client())).toMatchObject({ id: p.id });
    expect(await failure(resetPassword({ token, password: "yet another password" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyCredentials({ email: p.email, password: NEW }, client())).toMatchObject({ id: p.id });
    // The link came to the address: it is confirmed now.
    expect((await db.user.findUniqueOrThrow({ where: { id: p.id } })).emailVerified).not.toBeNull();
  });

  it("refuses a link older than an hour, and an earlier link once a newer one was sent", async () => {
    const p = await person();
    await requestPasswordReset(p.email, client());
    const first = await lastToken(p.email, "account.password_reset");
    await requestPasswordReset(p.email, client());
    const second = await lastToken(p.email, "account.password_reset");
    expect(await failure(resetPassword({ token: first, password: NEW }))).toMatchObject({ code: "NOT_FOUND" });
    await db.emailToken.updateMany({ where: { tokenHash: hashEmailToken(second) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await failure(resetPassword({ token: second, password: NEW }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyCredentials({ email: p.email, password: OLD }, client())).toMatchObject({ id: p.id });
  });

  it("mails an address only a few times an hour, and still gives the same answer", async () => {
    const p = await person();
    for (let i = 0; i < RESET_PER_EMAIL.max + 2; i++) expect(await requestPasswordReset(p.email, client())).toBe(RESET_REQUESTED);
    expect(await queuedFor(p.email, "account.password_reset")).toHaveLength(RESET_PER_EMAIL.max);
  });

  it("limits requests from one network, with a clear message", async () => {
    const from = client();
    let refused: AppError | null = null;
    for (let i = 0; i < 25 && !refused; i++) refused = await failure(requestPasswordReset(`${unique("x")}@example.test`, from));
    expect(refused).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/Too many reset requests/) });
  });
});
