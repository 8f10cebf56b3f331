// Shared steps for the end-to-end tests. Each test makes its own people and communities
// with unique names; DATABASE_URL (set by `npm test`) lets a test check what was stored.
import { expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import pg from "pg";

export const PASSWORD = "a long enough password";
export const uid = () => Math.random().toString(36).slice(2, 8);

/** Signs up on /sign-up, or on the sign-up page already open (to keep its callbackUrl). */
export async function signUp(page: Page, who: { email: string; name?: string }, expectAt: RegExp = /\/start$/) {
  if (new URL(page.url()).pathname !== "/sign-up") await page.goto("/sign-up");
  await page.getByLabel("Your name (optional)").fill(who.name ?? "");
  await page.getByLabel("Email", { exact: true }).fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(expectAt);
}

/** Clicks a form's button and waits for its server action to answer (the message may not change). */
export async function submit(page: Page, button: string) {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: button }).click(),
  ]);
}

/** A fresh browser context (its own cookies) with a newly signed-up person. */
export async function newPerson(browser: Browser, label: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = `${label}-${uid()}@example.test`;
  await signUp(page, { email, name: `${label[0]!.toUpperCase()}${label.slice(1)} ${uid()}` });
  return { context, page, email };
}

export type CommunityInput = { name: string; address: string; description?: string; rules?: string };

export async function fillCommunityForm(page: Page, input: CommunityInput) {
  await page.getByLabel("Community name").fill(input.name);
  await page.getByLabel("Address").fill(input.address);
  await page.getByRole("radio", { name: /^Mastodon/ }).check();
  await page.getByRole("radio", { name: /^Small/ }).check();
  await page.getByLabel("Short description").fill(input.description ?? "");
  await page.getByLabel("Rules").fill(input.rules ?? "");
}

export async function startCommunity(page: Page, input: CommunityInput) {
  await page.goto("/start");
  await fillCommunityForm(page, input);
  await page.getByRole("button", { name: "Start the community" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${input.address}\\?created=1$`));
}

export async function sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** What a refused request must leave untouched. */
export async function communityRow(slug: string) {
  const [row] = await sql(
    `SELECT c.name, c.description, c.status, c."updatedAt",
       (SELECT count(*) FROM "Membership" m WHERE m."communityId" = c.id)::int AS members,
       (SELECT count(*) FROM "Invitation" i WHERE i."communityId" = c.id)::int AS invitations
     FROM "Community" c WHERE c.slug = $1`,
    [slug],
  );
  return row;
}

/** Serious and critical accessibility violations on the current page. */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Polls `read` until `ok` holds (generous: the machine may be loaded); fails naming what it waited for. */
export async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The member contributes `amount` (euros) from the community page through the emulator's hosted
 * Checkout with a card that works, and lands on the thanks page. Returns the emulator's origin
 * (where its API and control API answer), read from the Checkout page the browser was on.
 */
export async function contributeThroughCheckout(page: Page, address: string, amount: string): Promise<string> {
  await page.goto(`/c/${address}/contribute`);
  await page.getByRole("radio", { name: "Another amount" }).check();
  await page.getByLabel("Another amount (EUR)").fill(amount);
  await page.getByRole("radio", { name: /^Stay anonymous/ }).check();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByRole("heading", { name: "Subscribe" })).toBeVisible({ timeout: 30_000 });
  const emulator = new URL(page.url()).origin;
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${address}/contribute/thanks\\?session_id=cs_`), { timeout: 30_000 });
  return emulator;
}

/** The emulator's API as the stripe SDK would call it (any sk_test_ key). */
export async function emulatorApi<T = Record<string, unknown>>(emulator: string, method: "GET" | "POST", path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator}${path}`, { method, headers: { authorization: "Bearer sk_test_e2e" } });
  return { status: response.status, body: (await response.json()) as T };
}

/** A browser context signed in as the host admin (E2E_ADMIN_EMAIL), signing up the first time. */
export async function asHostAdmin(browser: Browser) {
  const email = process.env.E2E_ADMIN_EMAIL ?? "";
  expect(email, "E2E_ADMIN_EMAIL names the host admin; `npm test` sets it").not.toBe("");
  const context = await browser.newContext();
  const page = await context.newPage();
  const [known] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE email = $1`, [email]);
  if (known!.n === 0) {
    await signUp(page, { email, name: "Host Admin" });
  } else {
    await page.goto("/sign-in");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/sign-in/);
  }
  return { context, page };
}
