// Money follows the server, end to end: a member pays through the emulator's hosted Checkout,
// the community is funded, the worker sets it up on the real Docker engine (stand-in images)
// and the first hosting month is charged once it is live. The owner deletes it with "export
// first": every subscription is cancelled at once, the emulator cannot bill another period,
// contributors are told why, and the host admin's page of the deleted tenant works and
// serves the archive, which the former owner also downloads from their own list and then
// moves back in, at the same address, through "Bring it back".
import { expect, test } from "@playwright/test";
import { asHostAdmin, contributeThroughCheckout, emulatorApi, eventually, newPerson, seriousViolations, sql, startCommunity, uid } from "./support";

const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL ?? "";

test("contribute, funded, live, then the owner deletes with export: subscriptions end, nothing more is billed, the archive is the admin's and the owner's, who brings the community back", async ({ browser }) => {
  expect(ADMIN_EMAIL, "E2E_ADMIN_EMAIL names the host admin; `npm test` sets it").not.toBe("");
  test.setTimeout(420_000);
  const organiser = await newPerson(browser, "organiser");
  const address = `e2e-life-${uid()}`;
  const name = `Lifecycle ${uid()}`;
  await startCommunity(organiser.page, { name, address });
  const { id } = (await sql<{ id: string }>(`SELECT id FROM "Community" WHERE slug = $1`, [address]))[0]!;

  // The organiser covers the whole month through Checkout (one account fewer: the suite's
  // sign-ups from one address are limited): funded, set up, and only then charged.
  const member = organiser;
  const emulator = await contributeThroughCheckout(member.page, address, "15");
  await expect(member.page.getByRole("status")).toContainText("is active");
  const hosting = () => sql<{ n: number }>(`SELECT count(*)::int AS n FROM "LedgerEntry" WHERE "communityId" = $1 AND kind = 'HOSTING'`, [id]).then((r) => r[0]!.n);
  await eventually("the tenant going live", () => sql<{ status: string }>(`SELECT status FROM "Community" WHERE id = $1`, [id]).then((r) => r[0]!.status), (s) => s === "LIVE", 240_000);
  await eventually("the first hosting month charged once live", hosting, (n) => n === 1, 60_000);
  await member.page.goto(`/c/${address}`);
  await expect(member.page.getByText("Status: Live")).toBeVisible();
  await expect(member.page.getByRole("region", { name: "Funding" })).toContainText("Funded: the server's hosting is paid until");

  const [contribution] = await sql<{ sub: string }>(`SELECT "stripeSubscriptionId" AS sub FROM "Contribution" WHERE "communityId" = $1 AND status = 'ACTIVE'`, [id]);
  expect(contribution?.sub).toMatch(/^sub_/);
  const invoicesBefore = (await emulatorApi<{ data: unknown[] }>(emulator, "GET", `/v1/invoices?subscription=${contribution!.sub}`)).body.data.length;

  // The owner deletes it from the settings: export first is ticked by default; the address confirms.
  const owner = organiser.page;
  await owner.goto(`/dashboard/${address}/settings`);
  const danger = owner.getByRole("region", { name: "Delete the community" });
  await expect(danger).toContainText("cancelled at once");
  expect(await seriousViolations(owner)).toEqual([]);
  await expect(danger.getByLabel("Export the server first")).toBeChecked();
  await danger.getByRole("button", { name: "Delete this community" }).click();
  await expect(danger.getByLabel(`Type “${address}” to confirm`)).toHaveAttribute("aria-invalid", "true");
  await danger.getByLabel(`Type “${address}” to confirm`).fill(address);
  await danger.getByRole("button", { name: "Delete this community" }).click();
  await expect(owner).toHaveURL(/\/dashboard\?deleted=1$/);

  // Every subscription is cancelled in Stripe at once; a period advanced in the emulator bills nothing.
  await eventually("the subscription cancelled in Stripe", () => emulatorApi<{ status: string }>(emulator, "GET", `/v1/subscriptions/${contribution!.sub}`).then((r) => r.body.status), (s) => s === "canceled", 60_000);
  const advance = await fetch(`${emulator}/_emulator/subscriptions/${contribution!.sub}/advance`, { method: "POST" });
  expect(advance.status).toBe(400);
  expect((await emulatorApi<{ data: unknown[] }>(emulator, "GET", `/v1/invoices?subscription=${contribution!.sub}`)).body.data.length).toBe(invoicesBefore);
  expect((await sql<{ status: string }>(`SELECT status FROM "Contribution" WHERE "stripeSubscriptionId" = $1`, [contribution!.sub]))[0]!.status).toBe("CANCELED");
  expect((await sql<{ state: string }>(`SELECT state FROM "CommunityFunding" WHERE "communityId" = $1`, [id]))[0]!.state).toBe("CLOSED");
  // The organiser, here also the only contributor, is told once why the contribution ended.
  expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "EmailOutbox" WHERE "communityId" = $1 AND kind = 'funding.closed'`, [id]))[0]!.n).toBe(1);
  await member.page.goto(`/c/${address}`);
  await expect(member.page.getByRole("heading", { name: /not found/i })).toBeVisible();

  // The host admin's page of the deleted tenant works (it was a 500) and serves the archive.
  const { context, page: admin } = await asHostAdmin(browser);
  await admin.goto(`/admin?status=DELETED&q=${address}`);
  const row = admin.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Deleted");
  await row.getByRole("link", { name }).click();
  await expect(admin.getByRole("heading", { name })).toBeVisible();
  await expect(admin.locator("article.tenant > header .status")).toHaveText("Status: Deleted");
  const archive = admin.getByRole("link", { name: /\.tar\.gz$/ });
  await eventually("the archive made before deletion", async () => (await admin.reload(), archive.count()), (n) => n === 1, 180_000);
  await eventually("the instance removed", () => sql<{ phase: string }>(`SELECT phase FROM "Instance" WHERE "communityId" = $1`, [id]).then((r) => r[0]!.phase), (p) => p === "DELETED", 120_000);
  const download = await admin.request.get((await archive.getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect([...(await download.body()).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  await expect(admin.getByRole("region", { name: "Funding" })).toContainText("Closed (deleted)");
  expect(await seriousViolations(admin)).toEqual([]);

  // The former owner takes the same archive from their own list, without asking the host.
  await owner.goto("/dashboard");
  const deletedOnes = owner.getByRole("region", { name: "Deleted communities" });
  await expect(deletedOnes).toContainText(name);
  const own = deletedOnes.getByRole("link", { name: /\.tar\.gz$/ });
  await expect(own).toHaveText((await archive.textContent())!.trim());
  const mine = await owner.request.get((await own.getAttribute("href"))!);
  expect(mine.status()).toBe(200);
  expect((await mine.body()).equals(await download.body())).toBe(true);
  expect(await seriousViolations(owner)).toEqual([]);

  // Then brings it back at the same address: the start form comes filled in, moving in from that archive.
  await deletedOnes.getByRole("link", { name: "Bring it back" }).click();
  await expect(owner).toHaveURL(new RegExp(`/start\\?from=${id}$`));
  await expect(owner.getByText(`Bringing back “${name}”`)).toBeVisible();
  await expect(owner.getByRole("textbox", { name: "Address" })).toHaveValue(address);
  await expect(owner.getByRole("radio", { name: /^Move in from an export/ })).toBeChecked();
  expect(await seriousViolations(owner)).toEqual([]);
  await owner.getByRole("button", { name: "Start the community" }).click();
  await expect(owner).toHaveURL(new RegExp(`/dashboard/${address}\\?created=1$`));
  const moving = owner.getByRole("region", { name: "Moving in" });
  await owner.getByLabel("Export archive").setInputFiles({ name: "back.tar.gz", mimeType: "application/gzip", buffer: await mine.body() });
  await moving.getByRole("button", { name: "Upload the archive" }).click();
  await expect(owner.getByTestId("move-in-accepted")).toContainText(/Accepted: .*\.tar\.gz .*Mastodon/);
  const [back] = await sql<{ id: string; domain: string }>(`SELECT id, domain FROM "Community" WHERE slug = $1`, [address]);
  expect(back!.id).not.toBe(id);
  expect((await sql<{ slug: string }>(`SELECT slug FROM "Community" WHERE id = $1`, [id]))[0]!.slug).toBe(`${address}.deleted-${id}`);
  // The host admin's page of the deleted tenant says where its names went, with a link.
  await admin.goto(`/admin/tenants/${id}`);
  await expect(admin.locator("article.tenant > header")).toContainText(`Its address “${address}” and domain ${back!.domain} went to ${name}`);
  await admin.locator("article.tenant > header").getByRole("link", { name }).click();
  await expect(admin).toHaveURL(new RegExp(`/admin/tenants/${back!.id}$`));

  await context.close();
  await organiser.context.close();
});
