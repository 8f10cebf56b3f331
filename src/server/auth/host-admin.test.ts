// Host admin rights need a verified email and the second factor in this session; the
// second factor is TOTP with recovery codes. Each test drives real session rows.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { unique } from "@/server/testing/fixtures";
import { FREE_FAILURES } from "./limits";
import { hashPassword } from "./password";
import { encodeSession } from "./session-cookie";
import { actorFromSession, createUserSession } from "./sessions";
import { signUp } from "./sign-up";
import { confirmTotpEnrolment, RECOVERY_CODE_COUNT, startTotpEnrolment, verifySecondFactor } from "./two-factor/second-factor";
import { totpAt } from "./two-factor/totp";

afterAll(() => db.$disconnect());

const PASSWORD = "a long enough password";
const origin = { method: "password", address: "192.0.2.77", userAgent: "vitest" };

/** A named host admin (by the stored flag, as the first account is), signed in. */
async function namedAdmin(options: { verified: boolean }) {
  const user = await db.user.create({
    data: { email: `${unique("admin")}@example.test`, name: "Admin", isHostAdmin: true, passwordHash: await hashPassword(PASSWORD), emailVerified: options.verified ? new Date() : null },
  });
  return signIn(user);
}

async function signIn(user: { id: string; email: string; name: string | null }) {
  const sid = await createUserSession(user.id, origin);
  const cookie = await encodeSession(user, sid);
  return { user, cookie, actor: async () => (await actorFromSession(cookie))! };
}

describe("host admin rights", () => {
  it("an address in HEARTH_ADMIN_EMAILS claimed by signing up (any letter case) gives no rights until it is verified", async () => {
    // vitest.config names ops@admins.hearth.test; another test may have made it: use a fresh copy of the rule.
    await db.user.deleteMany({ where: { email: "ops@admins.hearth.test" } });
    const squatter = await signUp({ email: "ops@admins.hearth.test", name: "Squatter", password: PASSWORD }, { address: "192.0.2.78" });
    const session = await signIn(squatter);
    expect(await session.actor()).toMatchObject({ isHostAdmin: false, adminGate: "verify-email" });
    await expect(startTotpEnrolment(await session.actor())).rejects.toMatchObject({ code: "NOT_FOUND" });
    await db.user.delete({ where: { id: squatter.id } });
  });

  it("the first account too: unverified, it is a member like any other", async () => {
    const { actor } = await namedAdmin({ verified: false });
    expect(await actor()).toMatchObject({ isHostAdmin: false, adminGate: "verify-email" });
  });

  it("a verified admin must enrol TOTP (password and a first code), gets recovery codes once, and this session passes", async () => {
    const { actor } = await namedAdmin({ verified: true });
    expect(await actor()).toMatchObject({ isHostAdmin: false, adminGate: "enrol-second-factor" });
    const enrolment = await startTotpEnrolment(await actor());
    if (enrolment.enrolled) throw new Error("not enrolled yet");
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Hearth:/);
    // The same pending secret until it is confirmed (a reload does not change the key).
    expect(await startTotpEnrolment(await actor())).toMatchObject({ secret: enrolment.secret });
    // Stored sealed, never as the base32 secret.
    const stored = await db.userTotp.findUniqueOrThrow({ where: { userId: (await actor()).id } });
    expect(stored.secret).not.toContain(enrolment.secret);

    const code = totpAt(enrolment.secret, Date.now());
    await expect(confirmTotpEnrolment(await actor(), { password: "wrong password", code })).rejects.toMatchObject({ fields: { password: expect.any(String) } });
    await expect(confirmTotpEnrolment(await actor(), { password: PASSWORD, code: "000000" === code ? "111111" : "000000" })).rejects.toMatchObject({
      fields: { code: expect.any(String) },
    });
    const codes = await confirmTotpEnrolment(await actor(), { password: PASSWORD, code });
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    expect(await db.recoveryCode.count({ where: { codeHash: { in: codes } } })).toBe(0); // hashes only
    expect(await actor()).toMatchObject({ isHostAdmin: true });
    expect((await actor()).adminGate).toBeUndefined();
  });

  it("another session of an enrolled admin needs a code; each code works once; recovery codes work once each", async () => {
    const first = await namedAdmin({ verified: true });
    const enrolment = await startTotpEnrolment(await first.actor());
    if (enrolment.enrolled) throw new Error("not enrolled yet");
    const now = Date.now();
    await confirmTotpEnrolment(await first.actor(), { password: PASSWORD, code: totpAt(enrolment.secret, now) });
    const second = await signIn(first.user);
    expect(await second.actor()).toMatchObject({ isHostAdmin: false, adminGate: "second-factor" });
    // The code used at enrolment cannot be replayed.
    await expect(verifySecondFactor(await second.actor(), totpAt(enrolment.secret, now), new Date(now))).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    const next = now + 30_000;
    await verifySecondFactor(await second.actor(), totpAt(enrolment.secret, next), new Date(next));
    expect(await second.actor()).toMatchObject({ isHostAdmin: true });

    const third = await signIn(first.user);
    await expect(verifySecondFactor(await third.actor(), totpAt(enrolment.secret, next), new Date(next))).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    expect(await third.actor()).toMatchObject({ isHostAdmin: false, adminGate: "second-factor" });
  });

  it("a recovery code signs in once, and wrong codes are limited with a growing delay", async () => {
    const admin = await namedAdmin({ verified: true });
    const enrolment = await startTotpEnrolment(await admin.actor());
    if (enrolment.enrolled) throw new Error("not enrolled yet");
    const codes = await confirmTotpEnrolment(await admin.actor(), { password: PASSWORD, code: totpAt(enrolment.secret, Date.now()) });
    const other = await signIn(admin.user);
    const result = await verifySecondFactor(await other.actor(), codes[0]!.toUpperCase());
    expect(result.recoveryCodesLeft).toBe(RECOVERY_CODE_COUNT - 1);
    expect(await other.actor()).toMatchObject({ isHostAdmin: true });
    const again = await signIn(admin.user);
    await expect(verifySecondFactor(await again.actor(), codes[0]!)).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    for (let i = 1; i < FREE_FAILURES; i++) {
      await expect(verifySecondFactor(await again.actor(), "nope-nope-nope")).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    }
    await expect(verifySecondFactor(await again.actor(), "nope-nope-nope")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await again.actor()).toMatchObject({ isHostAdmin: false });
  });

  it("people who are not named host admins cannot enrol (the page does not exist for them)", async () => {
    const user = await db.user.create({ data: { email: `${unique("member")}@example.test`, emailVerified: new Date() } });
    const { actor } = await signIn(user);
    await expect(startTotpEnrolment(await actor())).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
