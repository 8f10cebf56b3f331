import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { hashedKey } from "@/server/rate-limit/rate-limit";
import { unique } from "@/server/testing/fixtures";
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS } from "./limits";
import { hashPassword } from "./password";
import { signInSchema } from "./schemas";
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

  it("locks an account after 5 failures, even for the right password, and says the same for an unknown email", async () => {
    const email = await account();
    const nobody = `${unique("nobody")}@example.test`;
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT.max; i++) {
      await failure(verifyCredentials({ email, password: `wrong ${i}` }, { address: address() }));
      await failure(verifyCredentials({ email: nobody, password: `wrong ${i}` }, { address: address() }));
    }
    const locked = await failure(verifyCredentials({ email, password: PASSWORD }, { address: address() }));
    const lockedUnknown = await failure(verifyCredentials({ email: nobody, password: PASSWORD }, { address: address() }));
    expect(locked.code).toBe("RATE_LIMITED");
    expect(locked.message).toMatch(/Too many failed sign-ins\. Try again in 15 minutes\./);
    expect(lockedUnknown.code).toBe(locked.code);
    expect(lockedUnknown.message).toBe(locked.message);
    // Counted under a hash: the table never holds the email.
    expect(await db.rateLimitHit.count({ where: { key: email } })).toBe(0);
    expect(await db.rateLimitHit.count({ where: { bucket: SIGN_IN_PER_ACCOUNT.bucket, key: hashedKey(email) } })).toBe(5);
  });

  it("unlocks the account when its failures leave the window", async () => {
    const email = await account();
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT.max; i++) await failure(verifyCredentials({ email, password: "nope" }, { address: address() }));
    await db.rateLimitHit.updateMany({
      where: { bucket: SIGN_IN_PER_ACCOUNT.bucket, key: hashedKey(email) },
      data: { createdAt: new Date(Date.now() - (SIGN_IN_PER_ACCOUNT.windowSeconds + 5) * 1000) },
    });
    await expect(verifyCredentials({ email, password: PASSWORD }, { address: address() })).resolves.toMatchObject({ email });
  });

  it("clears an account's failures after a successful sign-in", async () => {
    const email = await account();
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT.max - 1; i++) await failure(verifyCredentials({ email, password: "nope" }, { address: address() }));
    await verifyCredentials({ email, password: PASSWORD }, { address: address() });
    expect(await db.rateLimitHit.count({ where: { bucket: SIGN_IN_PER_ACCOUNT.bucket, key: hashedKey(email) } })).toBe(0);
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

  it("lets no more than the limit through when attempts arrive at once", async () => {
    const email = await account();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => verifyCredentials({ email, password: `guess ${i}` }, { address: address() })),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AppError).code : "OK"));
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(SIGN_IN_PER_ACCOUNT.max);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(12 - SIGN_IN_PER_ACCOUNT.max);
  });
});
