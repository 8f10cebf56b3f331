import { test, expect } from "@playwright/test";
import { signUp, startCommunity, uid } from "./support";

test("the home page renders", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("funded together");
  await expect(page).toHaveTitle(/Hearth/);
});

test("/api/health says the panel is up once database, Docker and worker are healthy (details are for host admins)", async ({ request }) => {
  // The worker beats every 2 s under test; give it a few beats to report.
  await expect
    .poll(async () => (await request.get("/api/health")).status(), { timeout: 20_000 })
    .toBe(200);
  expect(await (await request.get("/api/health")).json()).toEqual({ status: "ok" });
});

test("robots.txt keeps crawlers to the public pages", async ({ request }) => {
  const response = await request.get("/robots.txt");
  expect(response.status()).toBe(200);
  const rules = (await response.text()).split("\n").map((line) => line.trim());
  for (const path of ["/admin", "/dashboard", "/account", "/api"]) expect(rules).toContain(`Disallow: ${path}`);
  expect(rules).toContain("Allow: /");
});

test("the start page and community pages have a social preview on the public address", async ({ page, request, baseURL }) => {
  const image = `${baseURL}/social-preview.png`;
  await page.goto("/");
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", image);
  // The start page's own address (Next.js writes the root URL without its final slash).
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", `${baseURL}`);
  const png = await request.get(image);
  expect(png.status()).toBe(200);
  expect(png.headers()["content-type"]).toBe("image/png");

  await signUp(page, { email: `og-${uid()}@example.test`, name: "Preview" });
  const address = `og-${uid()}`;
  await startCommunity(page, { name: "Preview Town", address, description: "Seen in link previews.", rules: "" });
  await page.goto(`/c/${address}`);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", "Preview Town");
  await expect(page.locator('meta[property="og:description"]')).toHaveAttribute("content", "Seen in link previews.");
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", `${baseURL}/c/${address}`);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", image);
});

// The e2e app runs on the local Stripe emulator (HEARTH_PAYMENTS=emulator): no page may let
// anyone think money moves.
test("every page shows the demo payments band while the emulator is in use", async ({ page }) => {
  for (const path of ["/", "/sign-in", "/sign-up", "/c/no-such-community-here"]) {
    await page.goto(path);
    const band = page.getByRole("complementary", { name: "Demo payments" });
    await expect(band).toBeVisible();
    await expect(band).toContainText("Demo payments: no real money moves.");
  }
});
