// A member funds a community through Stripe Checkout (the local emulator's hosted page that
// the run command started), and the community page shows the new total and the supporter.
import { expect, test } from "@playwright/test";
import { newPerson, seriousViolations, sql, startCommunity, uid } from "./support";

test("a member contributes through Checkout and the community page shows the total and the supporter", async ({ browser }) => {
  const organiser = await newPerson(browser, "organiser");
  const address = `fund-${uid()}`;
  await startCommunity(organiser.page, { name: "Fundable Town", address });

  const member = await newPerson(browser, "member");
  const page = member.page;
  await page.goto(`/c/${address}`);
  const funding = page.getByRole("region", { name: "Funding" });
  await expect(funding).toContainText("€0.00 a month from supporters, of €15.00 needed");
  await expect(funding.getByRole("progressbar")).toHaveAttribute("value", "0");
  await funding.getByRole("link", { name: "Contribute monthly" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${address}/contribute$`));
  expect(await seriousViolations(page)).toEqual([]);

  // A bad custom amount is refused at its field, and what was typed stays.
  await page.getByRole("radio", { name: "Another amount" }).check();
  await page.getByLabel("Another amount (EUR)").fill("0");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByLabel("Another amount (EUR)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-customAmount-error")).toHaveText("The smallest monthly contribution is €1.00.");

  await page.getByLabel("Another amount (EUR)").fill("12.50");
  await page.getByLabel("Name to show").fill("Maple the Member");
  await page.getByLabel("Message (optional)").fill("For the town!");
  await page.getByRole("button", { name: "Continue to payment" }).click();

  // The emulator's hosted Checkout page: the declined card first, then the one that succeeds.
  await expect(page.getByRole("heading", { name: "Subscribe" })).toBeVisible();
  await expect(page.locator("body")).toContainText("12.50");
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.locator("body")).toContainText("Your card was declined.");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Subscribe" }).click();

  await expect(page).toHaveURL(new RegExp(`/c/${address}/contribute/thanks\\?session_id=cs_`));
  await expect(page.getByRole("status")).toContainText("Your contribution of €12.50 a month is active.");

  await page.getByRole("link", { name: "Back to Fundable Town" }).click();
  await expect(funding).toContainText("€12.50 a month from supporters, of €15.00 needed");
  await expect(funding.getByRole("progressbar")).toHaveAttribute("value", "1250");
  await expect(funding).toContainText("1 person supports this community");
  await expect(funding.getByRole("list")).toContainText("Maple the Member");
  await expect(funding.getByRole("list")).toContainText("For the town!");
  expect(await seriousViolations(page)).toEqual([]);

  // The webhook deliveries (signed by the emulator) were verified and recorded once each.
  await expect
    .poll(async () => (await sql(`SELECT count(*)::int AS n FROM "StripeEvent" WHERE type = 'invoice.paid'`))[0]?.n)
    .toBeGreaterThan(0);
  const [ledger] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM "LedgerEntry" l JOIN "Community" c ON c.id = l."communityId" WHERE c.slug = $1 AND l.kind = 'PAYMENT'`,
    [address],
  );
  expect(ledger?.n).toBe(1);

  // The receipt is listed for the member, who cancels through the Customer Portal.
  await page.goto("/contributions");
  await expect(page.getByRole("table").first()).toContainText("Fundable Town");
  await expect(page.getByRole("table").first()).toContainText("€12.50");
  await expect(page.getByRole("link", { name: "Invoice" })).toHaveCount(1);
  await page.getByRole("button", { name: "Manage contributions" }).click();
  await expect(page.getByRole("heading", { name: "Manage your contributions" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel at end of period" }).click();
  await expect(page).toHaveURL(/\/contributions$/);
  // The worker gathers a subscription's events for half a second before it converges them: the
  // page says the change is being applied until then, and shows it after a reload.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("table").first()).toContainText(", ends ", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.goto(`/c/${address}`);
  await expect(funding).toContainText("€0.00 a month from supporters, of €15.00 needed");
  await expect(funding).toContainText("1 person supports this community");

  await organiser.context.close();
  await member.context.close();
});
