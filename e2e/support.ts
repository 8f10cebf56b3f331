// Shared steps for the end-to-end tests. Each test makes its own people and communities
// with unique names; DATABASE_URL (set by `npm test`) lets a test check what was stored.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import pg from "pg";
import { simpleParser, type ParsedMail } from "mailparser";
import { totpAt } from "../src/server/auth/two-factor/totp";

export const PASSWORD = "a long enough password";
export const uid = () => Math.random().toString(36).slice(2, 8);

/**
 * Signs up on /sign-up, or on the sign-up page already open (to keep its callbackUrl), then
 * confirms the address through the link in the mail (in another tab, so `page` stays where the
 * sign-up led), unless `verify` is false.
 */
export async function signUp(page: Page, who: { email: string; name?: string }, expectAt: RegExp = /\/start$/, verify = true) {
  if (new URL(page.url()).pathname !== "/sign-up") await page.goto("/sign-up");
  await page.getByLabel("Your name (optional)").fill(who.name ?? "");
  await page.getByLabel("Email", { exact: true }).fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // argon2 and the first render of the next page: give a loaded machine time.
  await expect(page).toHaveURL(expectAt, { timeout: 20_000 });
  if (verify) await verifyEmail(page, who.email);
}

/** Opens the confirmation link mailed to `email` in a new tab of the same browser and uses it. */
export async function verifyEmail(page: Page, email: string) {
  const mail = await mailTo(email, /Confirm your email address/);
  const tab = await page.context().newPage();
  await tab.goto(new URL(linkIn(mail, "/verify-email/")).pathname);
  await tab.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(tab).toHaveURL(/verified=1/, { timeout: 20_000 });
  await tab.close();
}

// ---- mail: `npm test` runs a real SMTP server and writes what it accepts to E2E_MAIL_DIR ----

const parsed = new Map<string, ParsedMail>();

async function caughtMail(): Promise<ParsedMail[]> {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set: run the e2e tests through `npm test` (it starts the test SMTP server).");
  // Only whole mails: the server writes each one under another name and renames it when complete.
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith(".eml") && !parsed.has(file)) parsed.set(file, await simpleParser(readFileSync(join(dir, file))));
  }
  return [...parsed.values()];
}

const addressedTo = (mail: ParsedMail, email: string) =>
  [mail.to].flat().some((to) => to?.value.some((a) => a.address?.toLowerCase() === email.toLowerCase()));

/** Every mail to `email` whose subject matches, in the order the SMTP server accepted them. */
export async function mailsTo(email: string, subject: RegExp): Promise<ParsedMail[]> {
  return (await caughtMail()).filter((m) => addressedTo(m, email) && subject.test(m.subject ?? ""));
}

/** Waits for a mail to `email` whose subject matches (the worker sends within a few seconds). */
export async function mailTo(email: string, subject: RegExp): Promise<ParsedMail> {
  await expect.poll(async () => (await mailsTo(email, subject)).length, { timeout: 30_000, message: `a mail to ${email} about ${subject}` }).toBeGreaterThan(0);
  return (await mailsTo(email, subject)).at(-1)!;
}

/** The link in a mail's text part whose path starts with `pathPrefix`. */
export function linkIn(mail: ParsedMail, pathPrefix: string): string {
  const link = (mail.text ?? "").match(/https?:\/\/\S+/g)?.find((url) => new URL(url).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no ${pathPrefix} link in the mail "${mail.subject}"`);
  return link;
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
  await page.getByLabel("Address", { exact: true }).fill(input.address);
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

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? "";

// The host admin's authenticator: the key shown at enrolment, kept for later sign-ins of the
// same run (spec files may run in separate workers), as a person's phone would keep it.
const authenticatorFile = () =>
  join(tmpdir(), `hearth-e2e-authenticator-${createHash("sha256").update(process.env.DATABASE_URL ?? "").digest("hex").slice(0, 16)}.json`);

async function enterCode(page: Page, secret: string) {
  // A code works once (the server keeps the newest step it accepted), and other spec files sign
  // the same admin in: each attempt reads the newest used step, waits on the clock for a step
  // after it to be current, and types that step's code into a freshly opened form, so an error
  // left by an earlier attempt is never taken for this one's answer.
  const step = 30_000;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await sql<{ lastUsedStep: number | null }>(
      `SELECT t."lastUsedStep" FROM "UserTotp" t JOIN "User" u ON u.id = t."userId" WHERE u.email = $1`,
      [ADMIN_EMAIL],
    );
    const next = (row?.lastUsedStep ?? -1) + 1;
    while (Math.floor(Date.now() / step) < next) await new Promise((r) => setTimeout(r, 250));
    if (attempt > 0) await page.goto("/admin");
    await page.getByLabel("Code", { exact: true }).fill(totpAt(secret, Math.max(Date.now(), next * step)));
    await page.getByRole("button", { name: "Continue" }).click();
    const outcome = await Promise.race([
      page.waitForURL(/\/admin/).then(() => "in" as const),
      page.getByText(/used already|not right/).first().waitFor().then(() => "again" as const),
    ]);
    if (outcome === "in") return;
  }
  throw new Error("no TOTP code was accepted");
}

/**
 * A browser signed in as the host admin (E2E_ADMIN_EMAIL) who has passed the second factor,
 * the way a person does it: sign up or sign in, enrol TOTP from the key the setup page shows
 * (or enter a code), then the admin area opens. Sign-up confirms the address through the
 * link mailed to it (signUp), as admin rights need a confirmed address.
 */
export async function signInHostAdmin(browser: Browser) {
  expect(ADMIN_EMAIL, "E2E_ADMIN_EMAIL names the host admin; `npm test` sets it").not.toBe("");
  const context = await browser.newContext();
  const page = await context.newPage();
  const [existing] = await sql(`SELECT id FROM "User" WHERE email = $1`, [ADMIN_EMAIL]);
  if (!existing) {
    await signUp(page, { email: ADMIN_EMAIL, name: "Host Admin" });
  } else {
    await page.goto("/sign-in");
    await page.getByLabel("Email", { exact: true }).fill(ADMIN_EMAIL);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  }
  await page.goto("/admin");
  if (/\/account\/two-factor\/setup/.test(page.url())) {
    const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
    writeFileSync(authenticatorFile(), JSON.stringify({ secret }));
    await page.getByLabel("Your password").fill(PASSWORD);
    await page.getByLabel("Code from the app").fill(totpAt(secret, Date.now()));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    await page.getByRole("link", { name: "I have saved them: continue" }).click();
  } else if (/\/account\/two-factor/.test(page.url())) {
    expect(existsSync(authenticatorFile()), "the authenticator key from this run's enrolment").toBe(true);
    await enterCode(page, (JSON.parse(readFileSync(authenticatorFile(), "utf8")) as { secret: string }).secret);
  }
  await expect(page.getByRole("heading", { name: "Tenants" })).toBeVisible();
  return { context, page };
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

/** The host admin's browser, signed in with the second factor passed (see signInHostAdmin). */
export const asHostAdmin = signInHostAdmin;
