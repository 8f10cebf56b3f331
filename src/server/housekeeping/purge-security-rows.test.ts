import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createUserSession } from "@/server/auth/sessions";
import { makeUser, unique } from "@/server/testing/fixtures";
import { purgeSecurityRows } from "./purge-security-rows";

afterAll(() => db.$disconnect());

describe("the worker's purge of security rows", () => {
  it("drops rate-limit hits older than every window and sessions past their lifetime, and keeps the rest", async () => {
    const bucket = unique("purge");
    const old = new Date(Date.now() - 3 * 86_400_000);
    await db.rateLimitHit.createMany({ data: [{ bucket, key: "a", createdAt: old }, { bucket, key: "a", createdAt: old }, { bucket, key: "b" }] });
    const user = await makeUser();
    const expired = await createUserSession(user.id, { method: "password", address: "192.0.2.1", userAgent: null }, new Date(Date.now() - 40 * 86_400_000));
    const live = await createUserSession(user.id, { method: "password", address: "192.0.2.1", userAgent: null });
    const result = await purgeSecurityRows();
    expect(result.hits).toBeGreaterThanOrEqual(2);
    expect(await db.rateLimitHit.findMany({ where: { bucket }, select: { key: true } })).toEqual([{ key: "b" }]);
    expect(await db.userSession.findUnique({ where: { id: expired } })).toBeNull();
    expect(await db.userSession.findUnique({ where: { id: live } })).not.toBeNull();
  });
});
