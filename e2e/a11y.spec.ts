// axe-core scans of the pages people meet first: no serious or critical violations.
import { expect, test, type Page } from "@playwright/test";
import { fillCommunityForm, seriousViolations, signUp, startCommunity, uid } from "./support";

test("sign-up and sign-in pages", async ({ page }) => {
  await page.goto("/sign-up");
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto("/sign-in");
  expect(await seriousViolations(page)).toEqual([]);
});

test("start-a-community form, also showing errors, and the community pages", async ({ page }) => {
  await signUp(page, { email: `a11y-${uid()}@example.test`, name: "Axe" });
  await page.goto("/start");
  expect(await seriousViolations(page)).toEqual([]);
  await fillCommunityForm(page, { name: "X", address: "Bad Address" });
  await page.getByRole("button", { name: "Start the community" }).click();
  await expect(page.locator("#field-address-error")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const address = `a11y-${uid()}`;
  await startCommunity(page, { name: "Accessible Town", address, description: "For everyone.", rules: "Be kind." });
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto(`/c/${address}`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto(`/dashboard/${address}/members`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto(`/dashboard/${address}/settings`);
  expect(await seriousViolations(page)).toEqual([]);
});

// The same pages on a phone in the dark scheme: axe finds nothing serious (contrast included),
// and no page is wider than the screen (tables scroll inside it, the header wraps).
test.describe("dark scheme at phone width", () => {
  test.use({ colorScheme: "dark", viewport: { width: 360, height: 740 } });
  // Each axe scan takes seconds on a loaded 2-core machine.
  test.slow();

  const check = async (page: Page) => {
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  };

  test("signed out", async ({ page }) => {
    await page.goto("/");
    // The dark scheme is what is being checked, not the light one by accident.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe("rgb(24, 20, 18)");
    await check(page);
    await page.goto("/sign-up");
    await check(page);
  });

  test("a community's pages, forms with errors and tables", async ({ page }) => {
    await signUp(page, { email: `a11y-dark-${uid()}@example.test`, name: "Night Owl With A Rather Long Display Name" });
    await fillCommunityForm(page, { name: "X", address: "Bad Address" });
    await page.getByRole("button", { name: "Start the community" }).click();
    await expect(page.locator("#field-address-error")).toBeVisible();
    await check(page);

    const address = `a11y-dark-${uid()}`;
    await startCommunity(page, { name: "Dark Town", address, description: "After sunset.", rules: "Be kind." });
    for (const path of [`/c/${address}`, `/dashboard/${address}/members`, "/account"]) {
      await page.goto(path);
      await check(page);
    }
    // A table on a phone scrolls inside itself rather than widening the page.
    await page.goto(`/dashboard/${address}/members`);
    expect(await page.locator("table").first().evaluate((table) => getComputedStyle(table).overflowX)).toBe("auto");
  });
});
