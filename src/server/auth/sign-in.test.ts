import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { hashedKey } from "@/server/rate-limit/rate-limit";
import { unique } from "@/server/testing/fixtures";
import { FREE_FAILURES, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS, SIGN_IN_PER_PAIR, signInDelaySeconds } from "./limits";
import { hashPassword } from "./password";
import { signInSchema } from "./schemas";
import { createUserSession } from "./sessions";
import { verifyCredentials, WRONG_CREDENTIALS } from "./sign-in";

afterAll(() => db.$disconnect());

const PASSWORD = "correct horse battery";
let n = 0;
const address = () => `198.19.${Math.floor(n / 250)}.${n++ % 250}`;

async function account() {
  const email = `${unique("signin")}@example.test`;
  await db.user.create({ data: { email, passwordHash: await hashPassword(PASSWORD) } });
  return email;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("verifyCredentials", () => {
  it("signs in with the right password, also with the email in another case", async () => {
    const email = await account();
    const typed = signInSchema.parse({ email: ` ${email.toUpperCase()} `, password: PASSWORD });
    const user = await verifyCredentials(typed, { address: address() });
    expect(user.email).toBe(email);
  });

  it("answers a wrong password, an unknown email and a password-less account identically", async () => {
    const email = await account();
    const oauthOnly = `${unique("oauth")}@example.test`;
    await db.user.create({ data: { email: oauthOnly } });
    const wrong = await failure(verifyCredentials({ email, password: "wrong password" }, { address: address() }));
    const unknown = await failure(verifyCredentials({ email: `${unique("nobody")}@example.test`, password: PASSWORD }, { address: address() }));
    const noPassword = await failure(verifyCredentials({ email: oauthOnly, password: PASSWORD }, { address: address() }));
    for (const error of [wrong, unknown, noPassword]) {
      expect(error.code).toBe("UNAUTHENTICATED");
      expect(error.message).toBe(WRONG_CREDENTIALS);
      expect(error.fields).toBeUndefined();
    }
  });

  it("an attacker guessing from many addresses cannot lock the owner out at an address the owner used before", async () => {
    const email = await account();
    const home = address();
    const owner = await verifyCredentials({ email, password: PASSWORD }, { address: home });
    await createUserSession(owner.id, { method: "password", address: home, userAgent: null });
    // More guesses than the global per-account limit, spread over addresses like a botnet.
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT.max; i++) {
      await failure(verifyCredentials({ email, password: `wrong ${i}` }, { address: address() }));
    }
    const fromElsewhere = await failure(verifyCredentials({ email, password: `wrong again` }, { address: address() }));
    expect(fromElsewhere.code).toBe("RATE_LIMITED");
    await expect(verifyCredentials({ email, password: PASSWORD }, { address: home })).resolves.toMatchObject({ email });
  });

  it("a guesser at one address waits longer after each failure, then is stopped; the owner elsewhere is not", async () => {
    const email = await account();
    const attacker = address();
    for (let i = 0; i < FREE_FAILURES; i++) await failure(verifyCredentials({ email, password: `wrong ${i}` }, { address: attacker }));
    const delayed = await failure(verifyCredentials({ email, password: PASSWORD }, { address: attacker }));
    expect(delayed.code).toBe("RATE_LIMITED");
    expect(delayed.message).toMatch(/Try again in \d+ seconds\./);
    // The delay has passed (hits moved back in time): the next guess is allowed, and counted.
    const key = `${hashedKey(email)}:${attacker}`;
    await db.rateLimitHit.updateMany({ where: { bucket: SIGN_IN_PER_PAIR.bucket, key }, data: { createdAt: new Date(Date.now() - 120_000) } });
    await failure(verifyCredentials({ email, password: "wrong 4" }, { address: attacker }).then(() => expect.fail("signed in with a wrong password")));
    expect(await db.rateLimitHit.count({ where: { bucket: SIGN_IN_PER_PAIR.bucket, key } })).toBe(FREE_FAILURES + 1);
    // Counted under a hash: the table never holds the email.
    expect(await db.rateLimitHit.count({ where: { key: { contains: email } } })).toBe(0);
    await expect(verifyCredentials({ email, password: PASSWORD }, { address: address() })).resolves.toMatchObject({ email });
  });

  it("says the same for an unknown email as for a known one when limited", async () => {
    const email = await account();
    const nobody = `${unique("nobody")}@example.test`;
    const from = address();
    for (let i = 0; i < FREE_FAILURES; i++) {
      await failure(verifyCredentials({ email, password: `wrong ${i}` }, { address: from }));
      await failure(verifyCredentials({ email: nobody, password: `wrong ${i}` }, { address: from }));
    }
    const locked = await failure(verifyCredentials({ email, password: "x" }, { address: from }));
    const lockedUnknown = await failure(verifyCredentials({ email: nobody, password: "x" }, { address: from }));
    expect(locked.code).toBe("RATE_LIMITED");
    expect(lockedUnknown.code).toBe("RATE_LIMITED");
    expect(lockedUnknown.message.replace(/\d+/, "N")).toBe(locked.message.replace(/\d+/, "N"));
  });

  it("clears the pair's failures after a successful sign-in", async () => {
    const email = await account();
    const from = address();
    for (let i = 0; i < FREE_FAILURES - 1; i++) await failure(verifyCredentials({ email, password: "nope" }, { address: from }));
    await verifyCredentials({ email, password: PASSWORD }, { address: from });
    expect(await db.rateLimitHit.count({ where: { bucket: SIGN_IN_PER_PAIR.bucket, key: `${hashedKey(email)}:${from}` } })).toBe(0);
  });

  it("limits failures per client address across accounts", async () => {
    const from = address();
    for (let i = 0; i < SIGN_IN_PER_ADDRESS.max; i++) {
      await db.rateLimitHit.create({ data: { bucket: SIGN_IN_PER_ADDRESS.bucket, key: from } });
    }
    const email = await account();
    const error = await failure(verifyCredentials({ email, password: PASSWORD }, { address: from }));
    expect(error.code).toBe("RATE_LIMITED");
    // The same account from elsewhere is fine, and the refused attempt did not count against it.
    await expect(verifyCredentials({ email, password: PASSWORD }, { address: address() })).resolves.toMatchObject({ email });
  });

  it("lets no more than the global limit through when attempts from many addresses arrive at once", async () => {
    const email = await account();
    await db.rateLimitHit.createMany({ data: Array.from({ length: SIGN_IN_PER_ACCOUNT.max - 5 }, () => ({ bucket: SIGN_IN_PER_ACCOUNT.bucket, key: hashedKey(email) })) });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => verifyCredentials({ email, password: `guess ${i}` }, { address: address() })),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AppError).code : "OK"));
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(5);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(7);
  });

  it("has a delay schedule that grows and is capped", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 9].map(signInDelaySeconds)).toEqual([0, 0, 0, 5, 10, 20, 40, 60, 60]);
  });
});
