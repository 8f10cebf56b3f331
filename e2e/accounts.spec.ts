import { expect, test } from "@playwright/test";
import { PASSWORD, newPerson, seriousViolations, signUp, sql, submit, uid } from "./support";

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

// A request the browser loses on the way (Chromium reports ERR_NETWORK_CHANGED when the host's
// network changes, as it does when Docker creates or removes a network) used to throw to Next's
// generic "This page couldn't load". Here it is dropped on purpose.
test("a lost sign-in request is said so at the form, keeps the email, and works when sent again", async ({ browser }) => {
  const person = await newPerson(browser, "lost");
  await person.context.close();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  let dropped = 0;
  await page.route(
    (url) => url.pathname === "/sign-in",
    async (route) => {
      if (route.request().method() === "POST" && dropped === 0) {
        dropped += 1;
        await route.abort("internetdisconnected");
      } else await route.continue();
    },
  );
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("status").first()).toContainText("The connection to Hearth was lost before it answered");
  expect(dropped).toBe(1);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(person.email);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");

  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Signed in as");
  await context.close();
});

test("a lost sign-out request shows the site's own error page, and trying again works", async ({ browser }) => {
  const { context, page } = await newPerson(browser, "lostout");
  await page.goto("/dashboard");
  let dropped = 0;
  await page.route("**/*", async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"] && dropped === 0) {
      dropped += 1;
      await route.abort("internetdisconnected");
    } else await route.continue();
  });
  const account = page.getByRole("navigation", { name: "Account" });
  await account.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The connection was lost");
  await expect(page.getByRole("alert")).toContainText("may not have gone through");
  expect(dropped).toBe(1);

  await page.getByRole("button", { name: "Try again" }).click();
  await expect(account).toContainText("Signed in as");
  await account.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(account.getByRole("link", { name: "Sign in" })).toBeVisible();
  await context.close();
});

// Several tests' work in one (two browsers, four password hashes, an accessibility scan): on a
// loaded 2-core machine it needs more than the default minute.
test("account settings list the sessions; a password change ends the others and queues a notice; sign out everywhere ends all", async ({ browser }) => {
  test.slow();
  const first = await newPerson(browser, "sessions");
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto("/sign-in");
  await other.getByLabel("Email", { exact: true }).fill(first.email);
  await other.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/dashboard$/);

  const page = first.page;
  await page.goto("/account");
  const sessions = page.getByRole("table", { name: "Sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(3); // header + two browsers
  await expect(sessions).toContainText("(this browser)");
  expect(await seriousViolations(page)).toEqual([]);

  // A wrong current password changes nothing, at its field.
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("New password again").fill("a brand new password");
  await submit(page, "Change password");
  await expect(page.getByText("Your current password is wrong.").first()).toBeVisible();

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("New password again").fill("a brand new password");
  await submit(page, "Change password");
  await expect(page.getByRole("status").filter({ hasText: "One other session was signed out." })).toBeVisible();
  const [notice] = await sql<{ subject: string; kind: string }>(
    `SELECT subject, kind FROM "EmailOutbox" WHERE "toEmail" = $1 AND kind = 'account.password_changed'`,
    [first.email],
  );
  expect(notice).toEqual({ subject: "Your Hearth password was changed", kind: "account.password_changed" });
  // The other browser is signed out; this one is not.
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);

  // Sign in elsewhere with the new password, then sign out everywhere from here.
  await other.getByLabel("Email", { exact: true }).fill(first.email);
  await other.getByLabel("Password", { exact: true }).fill("a brand new password");
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/dashboard$/);
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/$/);
  for (const p of [page, other]) {
    await p.goto("/account");
    await expect(p).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount/);
  }
  await first.context.close();
  await second.close();
});
