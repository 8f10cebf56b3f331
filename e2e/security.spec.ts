// The findings of the security probe (issue 12), each replayed against the production build
// the way an attacker would send it.
import { expect, test, type APIResponse } from "@playwright/test";
import { PASSWORD, newPerson, signUp, sql, submit, uid } from "./support";

const SQUAT_EMAIL = process.env.E2E_UNCLAIMED_ADMIN_EMAIL ?? "";

const sessionCookieOf = async (context: { cookies: () => Promise<{ name: string; value: string }[]> }) =>
  (await context.cookies()).find((cookie) => /session/.test(cookie.name) && cookie.value !== "");

function setCookies(response: APIResponse): string[] {
  return response
    .headersArray()
    .filter((header) => header.name.toLowerCase() === "set-cookie")
    .map((header) => header.value);
}

test("a signed-out cookie stays dead on next-auth's own session route, and is not refreshed there", async ({ browser, playwright, baseURL }) => {
  const person = await newPerson(browser, "revoked");
  const cookie = await sessionCookieOf(person.context);
  expect(cookie, "the sign-up set a session cookie").toBeDefined();
  await person.page.getByRole("button", { name: "Sign out" }).click();
  await expect(person.page).toHaveURL(/\/$/);

  const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `${cookie!.name}=${cookie!.value}` } });
  const session = await replay.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({});
  // No fresh session cookie: at most one that clears it.
  for (const value of setCookies(session).filter((v) => v.startsWith(`${cookie!.name}=`))) {
    expect(value).toMatch(new RegExp(`^${cookie!.name.replace(/[.]/g, "\\.")}=;`));
  }
  const dashboard = await replay.get("/dashboard", { maxRedirects: 0 });
  expect(dashboard.status()).toBe(307);
  expect(dashboard.headers().location).toMatch(/^\/sign-in\?callbackUrl=/);
  await replay.dispose();
  await person.context.close();
});

test("an address in HEARTH_ADMIN_EMAILS claimed by someone else (in other letter case) gets no admin rights", async ({ page }) => {
  expect(SQUAT_EMAIL, "`npm test` sets E2E_UNCLAIMED_ADMIN_EMAIL").not.toBe("");
  await signUp(page, { email: SQUAT_EMAIL.toUpperCase(), name: "Squatter" });
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  const admin = await page.goto("/admin");
  expect(admin?.status()).toBe(404);
});

test("callbackUrl cannot send anyone to another site, from the page or from the form", async ({ browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const person = await newPerson(browser, "redirected");
  const { page, context, email } = person;
  // A browser that followed a bad redirect would land here.
  await context.route(/evil\.example/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" }));
  const crafted = ["/\t/evil.example/x", "/%09/evil.example/x", "/\\evil.example", "/.//evil.example/", "//evil.example", "https://evil.example/", "/\n/evil.example"];

  // Already signed in: the sign-in page redirects at once.
  for (const target of crafted) {
    const response = await page.request.get(`/sign-in?callbackUrl=${encodeURIComponent(target)}`, { maxRedirects: 0 });
    expect(response.status(), target).toBeLessThan(500);
    const location = response.headers().location;
    if (location) expect(new URL(location, origin).origin, `${target} -> ${location}`).toBe(origin);
  }

  // Signed out: the form carries it and the action redirects after the password is checked.
  await page.goto("/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  for (const target of crafted.slice(0, 4)) {
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(new URL(page.url()).origin, target).toBe(origin);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
  }
  await context.close();
});

test("crafted callbackUrl and session_id values never answer 500", async ({ browser }) => {
  const person = await newPerson(browser, "crafted");
  const api = person.page.request;
  const values = ["%00", "/%00", "%E0%A4%A", "/" + "a".repeat(5000), "javascript:alert(1)", "/%2F%2Fevil.example"];
  for (const value of values) {
    for (const path of ["/sign-in", "/sign-up", "/api/auth/signin", "/api/auth/error"]) {
      const response = await api.get(`${path}?callbackUrl=${value}`, { maxRedirects: 0 });
      expect(response.status(), `${path}?callbackUrl=${value}`).toBeLessThan(500);
    }
    const thanks = await api.get(`/c/some-town/contribute/thanks?session_id=${value}`, { maxRedirects: 0 });
    expect(thanks.status(), `thanks?session_id=${value}`).toBeLessThan(500);
  }
  const twice = await api.get(`/c/some-town/contribute/thanks?session_id=a&session_id=b`, { maxRedirects: 0 });
  expect(twice.status()).toBeLessThan(500);
  for (const path of ["/c/%00", "/dashboard/%00", "/dashboard/%00/settings", "/invitations/%00", "/admin/tenants/%00", "/c/%E0%A4%A"]) {
    expect((await api.get(path, { maxRedirects: 0 })).status(), path).toBeLessThan(500);
  }
  await person.context.close();
});

test("a forged X-Forwarded-For decides neither the rate-limit address nor the audit address", async ({ page }) => {
  const forged = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
  await page.setExtraHTTPHeaders({ "x-forwarded-for": forged });
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(`nobody-${uid()}@example.test`);
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await submit(page, "Sign in");
  await expect(page.getByRole("status").first()).toContainText("Email or password is wrong.");
  const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "RateLimitHit" WHERE key LIKE $1`, [`%${forged}%`]);
  expect(rows[0]!.n).toBe(0);
});

test("every response carries the security headers; pages a nonce-based CSP; cookies are host-only", async ({ page, request }) => {
  for (const path of ["/", "/sign-in", "/api/health", "/admin", "/no-such-page", "/api/auth/session"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"], path).toContain("camera=()");
    expect(headers["x-frame-options"], path).toBe("DENY");
  }
  const home = await request.get("/");
  const csp = home.headers()["content-security-policy"]!;
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain("'strict-dynamic'");
  expect(csp).not.toContain("'unsafe-inline' 'nonce");
  expect(await home.text()).toContain(`nonce="${nonce}"`);
  const again = (await request.get("/")).headers()["content-security-policy"]!;
  expect(/'nonce-([^']+)'/.exec(again)?.[1]).not.toBe(nonce);

  await signUp(page, { email: `cookie-${uid()}@example.test` });
  for (const cookie of await page.context().cookies()) {
    expect(cookie.domain, cookie.name).not.toMatch(/^\./);
  }
});

test("request bodies over the limit are refused before they are read", async ({ request }) => {
  const big = "a".repeat(2 * 1024 * 1024);
  const callback = await request.post("/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: `email=a%40b.test&password=${big}`,
    maxRedirects: 0,
  });
  expect(callback.status()).toBe(413);
  const signout = await request.post("/api/auth/signout", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: `csrfToken=${big}`,
    maxRedirects: 0,
  });
  expect(signout.status()).toBe(413);
});

test("/api/health tells anonymous visitors only whether Hearth is up", async ({ request }) => {
  const response = await request.get("/api/health");
  const body = await response.json();
  expect(Object.keys(body)).toEqual(["status"]);
  expect(["ok", "degraded"]).toContain(body.status);
});
