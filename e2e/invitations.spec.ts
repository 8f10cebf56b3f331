import { expect, test } from "@playwright/test";
import { newPerson, signUp, sql, startCommunity, uid } from "./support";

test("invite by link, sign up through it, accept once; the link then only shows the result", async ({ browser }) => {
  const owner = await newPerson(browser, "host");
  const address = `club-${uid()}`;
  await startCommunity(owner.page, { name: "Chess Club", address });
  await owner.page.goto(`/dashboard/${address}/members`);
  const email = `guest-${uid()}@example.test`;
  await owner.page.getByLabel("Email address").fill(email);
  await owner.page.getByLabel("Role").selectOption("ADMIN");
  await owner.page.getByRole("button", { name: "Create invitation" }).click();
  const link = await owner.page.getByLabel("Invitation link (shown once)").inputValue();
  expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}$/);
  await expect(owner.page.getByRole("table").last()).toContainText(email);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByRole("heading", { level: 1 })).toHaveText("Join Chess Club");
  await guest.getByRole("link", { name: "Create an account" }).click();
  await expect(guest).toHaveURL(/\/sign-up\?callbackUrl=%2Finvitations%2F/);
  await signUp(guest, { email, name: "Guest" }, /\/invitations\//);
  await guest.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(guest).toHaveURL(new RegExp(`/dashboard/${address}$`));
  await expect(guest.locator("main")).toContainText("You are admin of this community.");

  await guest.goto(new URL(link).pathname);
  await expect(guest.locator("main")).toContainText("You have joined.");
  const rows = await sql<{ count: number }>(
    `SELECT count(*)::int AS count FROM "Membership" m JOIN "Community" c ON c.id = m."communityId" WHERE c.slug = $1`,
    [address],
  );
  expect(rows).toEqual([{ count: 2 }]);
  await owner.context.close();
  await guestContext.close();
});
