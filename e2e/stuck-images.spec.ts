// A community funded while the host offers a version whose images cannot be had: it is funded
// but charged nothing while stuck, its organiser is told in plain words, the admin table finds
// it under "Needs attention", and once the admin re-pins its images it goes live and only then
// is its first hosting month charged.
import { expect, test, type Page } from "@playwright/test";
import { asHostAdmin, contributeThroughCheckout, eventually, newPerson, sql, startCommunity, uid } from "./support";

async function setMastodonVersions(page: Page, versions: string) {
  await page.goto("/admin/settings");
  await page.getByLabel("Mastodon versions").fill(versions);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible({ timeout: 30_000 });
}

test("stuck on a missing image: charged nothing; the admin re-pins; live; the first month is charged then", async ({ browser }) => {
  test.setTimeout(420_000);
  const current = process.env.HEARTH_IMAGE_MASTODON?.split(":").pop();
  expect(current, "npm test sets the stand-in images").toBeTruthy();
  const organiser = await newPerson(browser, "organiser");
  const address = `e2e-stuck-${uid()}`;
  const name = `Stuck ${uid()}`;
  await startCommunity(organiser.page, { name, address });
  const { id } = (await sql<{ id: string }>(`SELECT id FROM "Community" WHERE slug = $1`, [address]))[0]!;

  // The host now offers a newest version nobody can download (new instances get the newest).
  const { context, page: admin } = await asHostAdmin(browser);
  const missing = `v0-missing-${uid()}`;
  await setMastodonVersions(admin, `${missing}, ${current}`);
  try {
    await admin.goto("/admin");
    await expect(admin.getByRole("region", { name: "Images" })).toContainText(`mastodon:${missing}`);
    await expect(admin.getByRole("region", { name: "Images" })).toContainText("Not available");

    const member = await newPerson(browser, "member");
    await contributeThroughCheckout(member.page, address, "15");
    await eventually("the funding", () => sql<{ state: string }>(`SELECT state FROM "CommunityFunding" WHERE "communityId" = $1`, [id]).then((r) => r[0]?.state), (s) => s === "FUNDED", 60_000);

    // Stuck on the image: the organiser is told what happened and that nothing is charged.
    await eventually(
      "the failed download on the dashboard",
      async () => (await organiser.page.goto(`/dashboard/${address}`), organiser.page.getByRole("alert").filter({ hasText: "could not download the software" }).count()),
      (n) => n === 1,
      180_000,
    );
    const notice = organiser.page.getByRole("alert").filter({ hasText: "could not download the software" });
    await expect(notice).toContainText("Nothing is charged for hosting until your server is up.");
    await expect(organiser.page.locator("main")).not.toContainText("docker load");
    await expect(organiser.page.getByRole("button", { name: "Try again now" })).toHaveCount(0);
    await organiser.page.goto(`/c/${address}`);
    const funding = organiser.page.getByRole("region", { name: "Funding" });
    await expect(funding).toContainText("Funded: the server is being set up. Hosting is charged from when it is up");
    await expect(funding).toContainText("starting when the server is up");
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "LedgerEntry" WHERE "communityId" = $1 AND kind = 'HOSTING'`, [id]))[0]!.n).toBe(0);

    // The admin finds it under "Needs attention", puts the working version back and re-pins it.
    await admin.goto(`/admin?status=ATTENTION&q=${address}`);
    await admin.getByRole("link", { name }).click();
    await expect(admin.getByRole("heading", { name })).toBeVisible();
    await expect(admin.locator("main")).toContainText(missing);
    await setMastodonVersions(admin, `${current}`);
    await admin.goto(`/admin/tenants/${id}`);
    const repinnedAt = Date.now();
    await admin.getByText("Re-pin images…", { exact: true }).click();
    await admin.getByRole("button", { name: "Re-pin to the current images" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Images re-pinned" })).toBeVisible({ timeout: 30_000 });
    const images = (await sql<{ images: Record<string, string> }>(`SELECT images FROM "Instance" WHERE "communityId" = $1`, [id]))[0]!.images;
    expect(Object.values(images).some((image) => image.includes(missing))).toBe(false);

    await eventually("the tenant going live", () => sql<{ status: string }>(`SELECT status FROM "Community" WHERE id = $1`, [id]).then((r) => r[0]!.status), (s) => s === "LIVE", 240_000);
    // Only now is the first month charged, from the moment it went live.
    const [charge] = await eventually(
      "the first hosting month",
      () => sql<{ amount: number; periodStart: Date }>(`SELECT amount, "periodStart" FROM "LedgerEntry" WHERE "communityId" = $1 AND kind = 'HOSTING'`, [id]),
      (rows) => rows.length === 1,
      60_000,
    );
    expect(charge!.amount).toBe(-1500);
    // Its month runs from when the server came up (after the re-pin), not from when it was funded.
    expect(charge!.periodStart.getTime()).toBeGreaterThanOrEqual(repinnedAt - 1000);
    await member.context.close();
  } finally {
    await setMastodonVersions(admin, `${current}`).catch(() => {});
    await context.close();
    await organiser.context.close();
  }
});
