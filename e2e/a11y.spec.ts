// axe-core scans of the pages people meet first: no serious or critical violations.
import { expect, test } from "@playwright/test";
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
