// next-auth's side: the credentials provider applies the same checks and limits as our
// sign-in form, and the OAuth adapter creates and finds users in our tables.
import { afterAll, describe, expect, it } from "vitest";
import type { CredentialsConfig } from "next-auth/providers/credentials";
import { db } from "@/server/db/client";
import { unique } from "@/server/testing/fixtures";
import { hearthAdapter } from "./adapter";
import { authOptions, CREDENTIALS_RATE_LIMITED } from "./auth-options";
import { FREE_FAILURES } from "./limits";
import { hashPassword } from "./password";

afterAll(() => db.$disconnect());

function authorize() {
  const provider = authOptions().providers.find((p) => p.id === "credentials") as CredentialsConfig & { options: CredentialsConfig };
  return (credentials: Record<string, string>, address: string) =>
    provider.options.authorize(credentials as never, { headers: { "x-hearth-client-address": address }, body: {}, query: {}, method: "POST" });
}

describe("next-auth options", () => {
  it("has no OAuth provider unless configured, and uses JWT sessions in next-auth's cookie", () => {
    const options = authOptions();
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
    expect(options.session?.strategy).toBe("jwt");
    expect(options.cookies?.sessionToken?.name).toBe("next-auth.session-token");
    expect(options.pages?.signIn).toBe("/sign-in");
  });

  it("only redirects within this Hearth", async () => {
    const redirect = authOptions().callbacks!.redirect!;
    const baseUrl = "http://hearth.test";
    expect(await redirect({ url: "/dashboard", baseUrl })).toBe("http://hearth.test/dashboard");
    expect(await redirect({ url: "http://hearth.test/c/x", baseUrl })).toBe("http://hearth.test/c/x");
    expect(await redirect({ url: "https://evil.example/", baseUrl })).toBe(`${baseUrl}/dashboard`);
    expect(await redirect({ url: "//evil.example/", baseUrl })).toBe(`${baseUrl}/dashboard`);
    expect(await redirect({ url: "/\t/evil.example/", baseUrl })).toBe(`${baseUrl}/dashboard`);
    expect(await redirect({ url: "http://[::1", baseUrl })).toBe(`${baseUrl}/dashboard`);
  });

  it("authorizes credentials like the sign-in form, and reports a lock-out by code", async () => {
    const email = `${unique("creds")}@example.test`;
    await db.user.create({ data: { email, passwordHash: await hashPassword("the right password") } });
    const check = authorize();
    expect(await check({ email: email.toUpperCase(), password: "the right password" }, "203.0.113.50")).toMatchObject({ email });
    expect(await check({ email, password: "wrong" }, "203.0.113.50")).toBeNull();
    expect(await check({ email: "not an email", password: "x" }, "203.0.113.50")).toBeNull();
    // The progressive delay after a few failures of this account at this address.
    for (let i = 1; i < FREE_FAILURES; i++) await check({ email, password: "wrong" }, "203.0.113.50");
    await expect(check({ email, password: "the right password" }, "203.0.113.50")).rejects.toThrow(CREDENTIALS_RATE_LIMITED);
  });

  it("adapter: creates OAuth users lowercased, links accounts and finds users by them", async () => {
    const adapter = hearthAdapter();
    const email = `${unique("OAuth")}@Example.test`;
    const user = await adapter.createUser!({ email, name: "Octo", image: null, emailVerified: new Date() } as never);
    expect(user.email).toBe(email.toLowerCase());
    const providerAccountId = unique("gh");
    await adapter.linkAccount!({ userId: user.id, type: "oauth", provider: "github", providerAccountId, access_token: "secret" } as never);
    expect(await adapter.getUserByAccount!({ provider: "github", providerAccountId })).toMatchObject({ id: user.id });
    expect(await adapter.getUserByEmail!(email.toUpperCase())).toMatchObject({ id: user.id });
    expect(await adapter.getUserByAccount!({ provider: "github", providerAccountId: "nobody" })).toBeNull();
    // The adapter's user never carries the password hash.
    expect(Object.keys((await adapter.getUser!(user.id))!)).not.toContain("passwordHash");
  });
});
