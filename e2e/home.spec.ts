import { test, expect } from "@playwright/test";

test("the home page renders", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("funded together");
  await expect(page).toHaveTitle(/Hearth/);
});

test("/api/health reports database, Docker and worker healthy", async ({ request }) => {
  // The worker beats every 2 s under test; give it a few beats to report.
  await expect
    .poll(async () => (await request.get("/api/health")).status(), { timeout: 20_000 })
    .toBe(200);
  const body = await (await request.get("/api/health")).json();
  expect(body.status).toBe("ok");
  expect(body.checks.database.ok).toBe(true);
  expect(body.checks.docker.ok).toBe(true);
  expect(typeof body.checks.docker.version).toBe("string");
  expect(body.checks.worker.ageSeconds).toBeLessThanOrEqual(30);
});
