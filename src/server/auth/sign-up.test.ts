import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { unique } from "@/server/testing/fixtures";
import { isNamedHostAdmin, toActor } from "./actor";
import { createUserIn } from "./create-user";
import { SIGN_UP_PER_ADDRESS } from "./limits";
import { signUpSchema } from "./schemas";
import { signUp } from "./sign-up";

afterAll(() => db.$disconnect());

const address = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const input = (email: string) => signUpSchema.parse({ name: "Ada", email, password: "correct horse battery" });

class Rollback extends Error {}

describe("signUp", () => {
  it("stores an argon2id hash, never the password, and the email lowercased", async () => {
    const email = `${unique("Ada")}@Example.TEST`;
    const user = await signUp(input(email), { address: address() });
    expect(user.email).toBe(email.toLowerCase());
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordHash).not.toContain("correct horse");
  });

  it("refuses a second account for the same email in any case, at the email field", async () => {
    const email = `${unique("dup")}@example.test`;
    await signUp(input(email), { address: address() });
    const before = await db.user.count();
    const error = await signUp(input(email.toUpperCase()), { address: address() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect((error as AppError).fields?.email).toMatch(/already exists/);
    expect(await db.user.count()).toBe(before);
  });

  it("rejects bad input in the schema", () => {
    const result = signUpSchema.safeParse({ name: "x".repeat(300), email: "not-an-email", password: "short" });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path[0]);
    expect(paths).toEqual(expect.arrayContaining(["name", "email", "password"]));
  });

  it("makes the first account of an empty Hearth its host admin, and no later one", async () => {
    // In a transaction that is rolled back, so the shared test database keeps its rows.
    const outcome = await db
      .$transaction(async (tx) => {
        // Funding records keep communities and people from vanishing under them: clear them first.
        await tx.ledgerEntry.deleteMany();
        await tx.contribution.deleteMany();
        await tx.community.deleteMany();
        await tx.user.deleteMany();
        const first = await createUserIn(tx, { email: `${unique("first")}@example.test` });
        const second = await createUserIn(tx, { email: `${unique("second")}@example.test` });
        throw new Rollback(JSON.stringify([first.isHostAdmin, second.isHostAdmin]));
      })
      .catch((e: unknown) => (e instanceof Rollback ? JSON.parse(e.message) : Promise.reject(e)));
    expect(outcome).toEqual([true, false]);
  });

  it("names the emails in HEARTH_ADMIN_EMAILS host admins, whose rights wait for a verified email (host-admin.test.ts)", async () => {
    const configured = await db.user.upsert({
      where: { email: "ops@admins.hearth.test" },
      create: { email: "ops@admins.hearth.test" },
      update: {},
      select: { id: true, email: true, name: true, isHostAdmin: true, emailVerified: true },
    });
    expect(configured.isHostAdmin).toBe(false); // not stored...
    expect(isNamedHostAdmin(configured)).toBe(true); // ...but named by the environment
    expect(toActor(configured)).toMatchObject({ isHostAdmin: false, adminGate: "verify-email" });
    expect(isNamedHostAdmin({ ...configured, email: "someone@else.test" })).toBe(false);
  });

  it("limits new accounts per client address", async () => {
    const from = address();
    for (let i = 0; i < SIGN_UP_PER_ADDRESS.max; i++) {
      await db.rateLimitHit.create({ data: { bucket: SIGN_UP_PER_ADDRESS.bucket, key: from } });
    }
    const before = await db.user.count();
    const error = await signUp(input(`${unique("late")}@example.test`), { address: from }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("RATE_LIMITED");
    expect(await db.user.count()).toBe(before);
    await signUp(input(`${unique("other")}@example.test`), { address: address() });
  });
});
