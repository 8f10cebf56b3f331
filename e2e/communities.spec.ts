import { expect, test } from "@playwright/test";
import { fillCommunityForm, newPerson, signUp, startCommunity, uid } from "./support";

test("sign up, start a community and see its public page", async ({ page }) => {
  await signUp(page, { email: `org-${uid()}@example.test`, name: "Organiser" });
  const address = `town-${uid()}`;
  const html = `<img src=x onerror="document.body.dataset.hacked='yes'"><b>Bold?</b>`;
  await startCommunity(page, { name: "Riverside Town", address, description: html, rules: "Be kind.\nNo ads." });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Riverside Town");
  await expect(page.getByRole("region", { name: "Instance" })).toContainText("Awaiting funding");

  await page.getByRole("link", { name: "Public page" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${address}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Riverside Town");
  const article = page.locator("article.community");
  await expect(article).toContainText("Awaiting funding");
  await expect(article).toContainText("Mastodon");
  await expect(article).toContainText("Small");
  await expect(article).toContainText("€15.00");
  await expect(page.getByRole("region", { name: "Funding" })).toBeVisible();
  // The HTML in the description is shown as text and never runs.
  await expect(article).toContainText(html);
  await expect(article.locator("img, b")).toHaveCount(0);
  expect(await page.evaluate(() => document.body.dataset.hacked)).toBeUndefined();
  await expect(page.getByRole("region", { name: "Rules" })).toContainText("No ads.");

  // Unknown addresses are a 404.
  expect((await page.goto(`/c/no-such-${uid()}`))?.status()).toBe(404);
});

test("bad input is shown at its field and what was typed stays", async ({ page }) => {
  await signUp(page, { email: `typo-${uid()}@example.test` });
  await page.goto("/start");
  await fillCommunityForm(page, { name: "Typo Town", address: "Typo.Town", description: "Kept as typed." });
  await page.getByRole("button", { name: "Start the community" }).click();
  const address = page.getByLabel("Address", { exact: true });
  await expect(address).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-address-error")).toContainText(/lowercase|dots/);
  await expect(address).toHaveAttribute("aria-describedby", /field-address-error/);
  await expect(address).toHaveValue("Typo.Town");
  await expect(page.getByLabel("Community name")).toHaveValue("Typo Town");
  await expect(page.getByLabel("Short description")).toHaveValue("Kept as typed.");
  await expect(page.getByRole("radio", { name: /^Mastodon/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /^Small/ })).toBeChecked();

  await address.fill("admin");
  await page.getByRole("button", { name: "Start the community" }).click();
  await expect(page.locator("#field-address-error")).toContainText("reserved");
  await expect(page.getByLabel("Community name")).toHaveValue("Typo Town");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up and start a community with plain form posts", async ({ page }) => {
    await signUp(page, { email: `nojs-${uid()}@example.test`, name: "No Script" });
    await page.goto("/start");
    const address = `plain-${uid()}`;
    await fillCommunityForm(page, { name: "Plain Town", address: "-" + address, description: "Plain." });
    await page.getByRole("button", { name: "Start the community" }).click();
    await expect(page.locator("#field-address-error")).toContainText("Start and end with a letter");
    await expect(page.getByLabel("Community name")).toHaveValue("Plain Town");
    await expect(page.getByLabel("Short description")).toHaveValue("Plain.");
    await expect(page.getByRole("radio", { name: /^Small/ })).toBeChecked();

    await page.getByLabel("Address", { exact: true }).fill(address);
    await page.getByRole("button", { name: "Start the community" }).click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/${address}\\?created=1$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plain Town");
  });
});

test("a second user cannot reach the first one's dashboard", async ({ browser }) => {
  const first = await newPerson(browser, "first");
  const address = `mine-${uid()}`;
  await startCommunity(first.page, { name: "Mine", address });

  const second = await newPerson(browser, "second");
  for (const path of [`/dashboard/${address}`, `/dashboard/${address}/settings`, `/dashboard/${address}/members`]) {
    const response = await second.page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(second.page.getByRole("heading", { level: 1 })).toHaveText("Not found");
    await expect(second.page.locator("body")).not.toContainText("Mine");
  }
  await second.page.goto("/dashboard");
  await expect(second.page.locator("main")).not.toContainText("Mine");
  // The public page stays public, without a way into the dashboard.
  expect((await second.page.goto(`/c/${address}`))?.status()).toBe(200);
  await expect(second.page.getByRole("link", { name: "Manage this community" })).toHaveCount(0);
  await first.context.close();
  await second.context.close();
});

test("a community brings its own domain: refused at its field when malformed, then the dashboard shows the DNS records to create", async ({ page }) => {
  await signUp(page, { email: `own-${uid()}@example.test`, name: "Own Domain" });
  await page.goto("/start");
  const address = `own-${uid()}`;
  await fillCommunityForm(page, { name: "Own Town", address });
  await page.getByRole("radio", { name: /^A domain of our own/ }).check();
  const own = page.getByLabel(/^Your own domain/);
  await own.fill("https://not a domain");
  await page.getByRole("button", { name: "Start the community" }).click();
  await expect(own).toHaveAttribute("aria-invalid", "true");
  await expect(own).toHaveValue("https://not a domain");
  await expect(page.getByRole("radio", { name: /^A domain of our own/ })).toBeChecked();

  const domain = `social-${uid()}.example.org`;
  await own.fill(domain);
  await page.getByRole("button", { name: "Start the community" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${address}\\?created=1$`));
  const card = page.getByRole("region", { name: `Your domain: ${domain}` });
  await expect(card).toContainText("Not verified yet");
  await expect(card).toContainText("CNAME");
  await expect(card.getByRole("button", { name: "Check DNS now" })).toBeVisible();
});
