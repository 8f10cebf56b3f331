import { test, expect } from "@playwright/test";

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
