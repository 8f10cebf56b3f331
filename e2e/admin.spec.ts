// The host admin's dashboard end to end, on the real worker and Docker engine (stand-in
// images built by `npm test`): its owner exports a live tenant and downloads the archive; the
// tenant is suspended from its admin page, its containers stop and its public page says so;
// resume brings it back; delete takes it down.
import { expect, test, type Page } from "@playwright/test";
import Docker from "dockerode";
import { ADMIN_EMAIL, newPerson, seriousViolations, signInHostAdmin, sql, startCommunity, uid } from "./support";

const docker = new Docker({ socketPath: "/var/run/docker.sock" });

async function tenantContainers(communityId: string) {
  return docker.listContainers({ all: true, filters: { label: [`hearth.tenant=${communityId}`] } });
}

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function confirm(page: Page, open: string, button: string, expected: RegExp) {
  await page.getByText(open, { exact: true }).click();
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByRole("status").filter({ hasText: expected })).toBeVisible({ timeout: 15_000 });
}

test("the owner exports a live tenant and downloads it; an admin suspends it, its containers stop and its page says so; resume brings it back", async ({ browser }) => {
  // Never skipped: run outside `npm test` (which sets it), the test fails and says why.
  expect(ADMIN_EMAIL, "E2E_ADMIN_EMAIL names the host admin; `npm test` sets it").not.toBe("");
  // Real PostgreSQL and Redis under the tenant: a first start takes longer on a loaded machine.
  test.setTimeout(600_000);

  // A community, funded as a webhook would fund it; the worker provisions it.
  const organiser = await newPerson(browser, "organiser");
  const address = `e2e-admin-${uid()}`;
  const name = `Admin Test ${uid()}`;
  await startCommunity(organiser.page, { name, address });
  const { id } = (await sql<{ id: string }>(`SELECT id FROM "Community" WHERE slug = $1`, [address]))[0]!;
  await fundForTest(id);
  // Running, not only live: the community is live once its addresses are recorded, while the
  // run still creates the organiser's admin account (an export is refused until the run ends).
  await eventually("the tenant running", () => sql<{ phase: string }>(`SELECT phase FROM "Instance" WHERE "communityId" = $1`, [id]).then((r) => r[0]?.phase), (p) => p === "RUNNING");

  // The owner asks for an export from the dashboard; the worker makes it; the owner downloads it.
  await organiser.page.goto(`/dashboard/${address}`);
  await organiser.page.getByRole("button", { name: "Export now" }).click();
  const archive = organiser.page.getByRole("link", { name: /\.tar\.gz$/ });
  await expect(organiser.page.getByText(/Export waiting to start|Export running/).or(archive)).toBeVisible();
  await eventually("the export archive", async () => (await organiser.page.reload(), archive.count()), (n) => n === 1, 120_000);
  const download = await organiser.page.request.get((await archive.getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toBe("application/gzip");
  expect([...(await download.body()).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  expect(await seriousViolations(organiser.page)).toEqual([]);

  // The admin (verified email, TOTP enrolled and entered) finds it in the table and opens its page.
  const { context, page } = await signInHostAdmin(browser);
  const health = await (await page.request.get("/api/health")).json();
  expect(health.checks.database.ok).toBe(true);
  expect(typeof health.checks.docker.version).toBe("string");
  await page.goto(`/admin?q=${address}`);
  await expect(page.getByRole("heading", { name: "Tenants" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByRole("table", { name: "Containers" }).getByRole("row", { name: /web/ })).toContainText("running");
  expect(await seriousViolations(page)).toEqual([]);

  await confirm(page, "Suspend…", `Yes, suspend ${name}`, /Suspended\. The instance is stopping/);
  await eventually("the containers stopping", () => tenantContainers(id), (list) => list.length > 0 && list.every((c) => c.State !== "running"), 90_000);
  await organiser.page.goto(`/c/${address}`);
  await expect(organiser.page.getByText("Status: Suspended")).toBeVisible();

  await page.reload();
  await confirm(page, "Resume…", `Yes, resume ${name}`, /Resumed\. The instance is starting/);
  await eventually("the tenant live again", () => sql<{ status: string }>(`SELECT status FROM "Community" WHERE id = $1`, [id]).then((r) => r[0]!.status), (s) => s === "LIVE");
  const running = await tenantContainers(id);
  expect(running.filter((c) => c.State === "running").map((c) => c.Labels["hearth.component"]).sort()).toEqual(["db", "redis", "sidekiq", "streaming", "web"]);
  await organiser.page.goto(`/c/${address}`);
  await expect(organiser.page.getByText("Status: Live")).toBeVisible();

  // The audit log names who did it, from where, and how it went.
  await page.reload();
  const audit = page.getByRole("table", { name: "Audit log, newest first" });
  await expect(audit.getByRole("row").filter({ hasText: "tenant.resumed" })).toContainText(ADMIN_EMAIL);
  await expect(audit.getByRole("row").filter({ hasText: "tenant.suspended" })).toContainText("Done");

  // Clean up through the product: delete takes the instance down.
  await page.getByText("Delete…", { exact: true }).click();
  await page.getByLabel(`Type “${address}” to confirm`).fill(address);
  await page.getByRole("button", { name: "Delete this tenant" }).click();
  await expect(page).toHaveURL(/\/admin\?deleted=instance$/);
  await eventually("the containers removed", () => tenantContainers(id), (list) => list.length === 0, 90_000);
  await organiser.page.goto(`/c/${address}`);
  await expect(organiser.page.getByRole("heading", { name: /not found/i })).toBeVisible();
  await context.close();
  await organiser.context.close();
});

test("the admin area is a plain 404 for anyone else, the same page as for an address that does not exist", async ({ browser }) => {
  const someone = await newPerson(browser, "curious");
  const unknown = await someone.page.goto("/no-such-page");
  expect(unknown?.status()).toBe(404);
  const nothing = await someone.page.locator("main").innerText();
  for (const path of ["/admin", "/admin/settings", "/admin/tenants/abcdefgh1234", "/admin?status=LIVE"]) {
    const response = await someone.page.goto(path);
    expect(response?.status(), path).toBe(404);
    expect(await someone.page.locator("main").innerText(), path).toBe(nothing);
  }
  await someone.context.close();
});

/**
 * Funds the community as a paid invoice would (when funding is installed) and asks for its
 * instance exactly as provisioning's setDesiredState does on first call: a row pinned to the
 * configured images; the worker's sweep picks it up.
 */
async function fundForTest(communityId: string) {
  const [{ present }] = (await sql<{ present: boolean }>(`SELECT to_regclass('"CommunityFunding"') IS NOT NULL AS present`)) as [{ present: boolean }];
  if (present) {
    await sql(
      `INSERT INTO "CommunityFunding" ("communityId", state, "stateSince", "anchorAt", "monthsCharged", "paidThrough", "updatedAt")
       VALUES ($1, 'FUNDED', now(), now(), 1, now() + interval '1 month', now())`,
      [communityId],
    );
  }
  const images = {
    app: process.env.HEARTH_IMAGE_MASTODON,
    streaming: process.env.HEARTH_IMAGE_MASTODON_STREAMING,
    db: process.env.HEARTH_IMAGE_MASTODON_POSTGRES,
    redis: process.env.HEARTH_IMAGE_REDIS,
  };
  expect(images.app, "npm test sets the stand-in images").toBeTruthy();
  await sql(`INSERT INTO "Instance" (id, "communityId", images, "updatedAt") VALUES ($1, $2, $3, now())`, [
    `e2e${uid()}${uid()}`,
    communityId,
    JSON.stringify(images),
  ]);
}
