import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, submit, uid } from "./support";

test("sign up, see the session in the header, sign out, sign in again", async ({ page }) => {
  const email = `ada-${uid()}@example.test`;
  await signUp(page, { email, name: "Ada Lovelace" });
  const account = page.getByRole("navigation", { name: "Account" });
  await expect(account).toContainText("Signed in as Ada Lovelace");

  await account.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(account.getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await submit(page, "Sign in");
  await expect(page.getByRole("status").first()).toContainText("Email or password is wrong.");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(email);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  const wrongPassword = await page.getByRole("status").first().innerText();

  await page.getByLabel("Email", { exact: true }).fill(`nobody-${uid()}@example.test`);
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await submit(page, "Sign in");
  await expect(page.getByRole("status").first()).toHaveText(wrongPassword);

  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(account).toContainText("Signed in as Ada Lovelace");
});

test("a session cookie copied before sign-out does not work after it", async ({ browser, page }) => {
  await signUp(page, { email: `eve-${uid()}@example.test`, name: "Eve" });
  const copied = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);

  const replay = await browser.newContext();
  await replay.addCookies(copied);
  const other = await replay.newPage();
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);
  await replay.close();
});

test("pages for signed-in people send visitors to sign in and back", async ({ page }) => {
  await page.goto("/start");
  await expect(page).toHaveURL(/\/sign-up\?callbackUrl=%2Fstart/);
  await page.goto("/dashboard/some-town/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard%2Fsome-town%2Fsettings/);
});
