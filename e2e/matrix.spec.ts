// The permission matrix over HTTP: every page and route handler, asked by each kind of
// visitor with a real session (anonymous, member, another community's owner, owner, host
// admin who has not passed the second factor, host admin), against what the permission table
// allows. Then every page is opened in Chromium under the CSP and must log no violation.
// (Form actions have their own matrix in src/server/security/action-matrix.test.ts.)
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ADMIN_EMAIL, PASSWORD, newPerson, signInHostAdmin, sql, startCommunity, submit, uid } from "./support";

type Actor = "anonymous" | "member" | "otherOwner" | "owner" | "adminWithout2fa" | "admin";
const ACTORS: Actor[] = ["anonymous", "member", "otherOwner", "owner", "adminWithout2fa", "admin"];

// What each answer means: the page itself, a redirect to sign in (or up), to the second
// factor, to another page, or the same 404 as an address that does not exist.
type Outcome = "ok" | "sign-in" | "2fa" | "elsewhere" | "404" | "422";

async function outcomeOf(context: BrowserContext, path: string): Promise<Outcome> {
  const response = await context.request.get(path, { maxRedirects: 0 });
  const status = response.status();
  if (status === 404) return "404";
  if (status === 422) return "422";
  if (status === 200 || status === 503) return "ok";
  if (status >= 300 && status < 400) {
    const location = response.headers().location ?? "";
    if (/^\/sign-(in|up)\?callbackUrl=/.test(location)) return "sign-in";
    if (location.startsWith("/account/two-factor")) return "2fa";
    return "elsewhere";
  }
  throw new Error(`${path}: unexpected status ${status}`);
}

async function signInAs(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}

test("every page and route handler answers each kind of visitor as the permission table says; no page logs a CSP violation", async ({ browser }) => {
  test.setTimeout(240_000);
  // The admin first: enrolled and through the second factor (signInHostAdmin), then a second
  // browser of the same admin that has only typed the password.
  const admin = await signInHostAdmin(browser);
  const adminWithout2fa = await signInAs(browser, ADMIN_EMAIL);

  const owner = await newPerson(browser, "owner");
  const slug = `matrix-${uid()}`;
  await startCommunity(owner.page, { name: `Matrix ${uid()}`, address: slug });
  const { id } = (await sql<{ id: string }>(`SELECT id FROM "Community" WHERE slug = $1`, [slug]))[0]!;
  const member = await newPerson(browser, "member");
  const memberId = (await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [member.email]))[0]!.id;
  await sql(`INSERT INTO "Membership" (id, "communityId", "userId", role, "createdAt", "updatedAt") VALUES ($1, $2, $3, 'MEMBER', now(), now())`, [`m${uid()}${uid()}`, id, memberId]);
  const otherOwner = await newPerson(browser, "other");
  await startCommunity(otherOwner.page, { name: `Other ${uid()}`, address: `matrix-o-${uid()}` });
  const anonymous = await browser.newContext();
  const contexts: Record<Actor, BrowserContext> = {
    anonymous,
    member: member.context,
    otherOwner: otherOwner.context,
    owner: owner.context,
    adminWithout2fa: adminWithout2fa.context,
    admin: admin.context,
  };

  // [path, anonymous, member, otherOwner, owner, adminWithout2fa, admin]
  const rows: [string, ...Outcome[]][] = [
    ["/", "ok", "ok", "ok", "ok", "ok", "ok"],
    ["/sign-in", "ok", "elsewhere", "elsewhere", "elsewhere", "elsewhere", "elsewhere"],
    ["/start", "sign-in", "ok", "ok", "ok", "ok", "ok"],
    ["/dashboard", "sign-in", "ok", "ok", "ok", "ok", "ok"],
    [`/dashboard/${slug}`, "sign-in", "ok", "404", "ok", "404", "ok"],
    [`/dashboard/${slug}/members`, "sign-in", "ok", "404", "ok", "404", "ok"],
    [`/dashboard/${slug}/settings`, "sign-in", "ok", "404", "ok", "404", "ok"],
    [`/dashboard/${slug}/exports/${slug}-20260101-000000-abcdef.tar.gz`, "404", "404", "404", "404", "404", "404"],
    [`/c/${slug}`, "ok", "ok", "ok", "ok", "ok", "ok"],
    [`/c/${slug}/contribute`, "sign-in", "ok", "ok", "ok", "ok", "ok"],
    ["/contributions", "sign-in", "ok", "ok", "ok", "ok", "ok"],
    ["/account", "sign-in", "ok", "ok", "ok", "ok", "ok"],
    ["/account/two-factor/setup", "sign-in", "404", "404", "404", "elsewhere", "elsewhere"],
    ["/account/two-factor", "sign-in", "404", "404", "404", "ok", "elsewhere"],
    ["/admin", "404", "404", "404", "404", "2fa", "ok"],
    ["/admin/settings", "404", "404", "404", "404", "2fa", "ok"],
    [`/admin/tenants/${id}`, "404", "404", "404", "404", "2fa", "ok"],
    [`/admin/tenants/${id}/logs?tail=abc`, "404", "404", "404", "404", "404", "422"],
    [`/admin/tenants/${id}/exports/${slug}-20260101-000000-abcdef.tar.gz`, "404", "404", "404", "404", "404", "404"],
    ["/api/health", "ok", "ok", "ok", "ok", "ok", "ok"],
    ["/api/auth/session", "ok", "ok", "ok", "ok", "ok", "ok"],
  ];
  const mismatches: string[] = [];
  for (const [path, ...expected] of rows) {
    for (const [i, actor] of ACTORS.entries()) {
      const got = await outcomeOf(contexts[actor], path);
      if (got !== expected[i]) mismatches.push(`${path} as ${actor}: expected ${expected[i]}, got ${got}`);
    }
  }
  expect(mismatches).toEqual([]);

  // Health details and the session's contents by actor.
  for (const actor of ACTORS) {
    const health = await (await contexts[actor].request.get("/api/health")).json();
    expect(Object.keys(health).sort(), actor).toEqual(actor === "admin" ? ["checks", "status"] : ["status"]);
    const session = await (await contexts[actor].request.get("/api/auth/session")).json();
    if (actor === "anonymous") expect(session).toEqual({});
    else expect(Object.keys(session.user ?? {}).sort(), actor).toEqual(["email", "name"]);
  }

  // Every page in Chromium, as the owner and as the admin: the CSP blocks nothing the app needs.
  const violations: string[] = [];
  const watch = async (page: Page) => {
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
  };
  const ownerPage = await owner.context.newPage();
  await watch(ownerPage);
  for (const path of ["/", "/start", "/dashboard", `/dashboard/${slug}`, `/dashboard/${slug}/members`, `/dashboard/${slug}/settings`, `/c/${slug}`, `/c/${slug}/contribute`, "/contributions", "/account"]) {
    await ownerPage.goto(path);
    await expect(ownerPage.locator("main")).toBeVisible();
  }
  // A client-side form still works under the CSP (hydrated React, server action).
  await ownerPage.goto(`/dashboard/${slug}/settings`);
  await ownerPage.getByLabel("Short description").fill("Set under a strict CSP.");
  await submit(ownerPage, "Save settings");
  await expect(ownerPage.getByRole("status").first()).toBeVisible();
  const adminPage = await admin.context.newPage();
  await watch(adminPage);
  for (const path of ["/admin", "/admin/settings", `/admin/tenants/${id}`, "/account"]) {
    await adminPage.goto(path);
    await expect(adminPage.locator("main")).toBeVisible();
  }
  const visitor = await anonymous.newPage();
  await watch(visitor);
  for (const path of ["/", "/sign-in", "/sign-up", `/c/${slug}`, "/no-such-page"]) {
    await visitor.goto(path);
    await expect(visitor.locator("main")).toBeVisible();
  }
  expect(violations).toEqual([]);
  expect((await sql<{ description: string }>(`SELECT description FROM "Community" WHERE slug = $1`, [slug]))[0]!.description).toBe("Set under a strict CSP.");

  for (const context of Object.values(contexts)) await context.close();
});
