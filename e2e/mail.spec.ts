// Mail through a real SMTP server (started by `npm test`): a forgotten password is reset through
// the link in the mail, once; an invitation is accepted by a new account through its mail.
import { expect, test } from "@playwright/test";
import { linkIn, mailTo, mailsTo, newPerson, PASSWORD, signUp, startCommunity, uid } from "./support";

const NEW_PASSWORD = "a fresh password after the reset";

test("forgot password: the mailed link sets a new one, ends old sessions, and works only once", async ({ browser }) => {
  const person = await newPerson(browser, "forgetful");
  const other = await browser.newContext();
  const page = await other.newPage();

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(`nobody-${uid()}@example.test`);
  await page.getByRole("button", { name: "Send me a link" }).click();
  const sameAnswer = page.getByText("If an account uses that address, a link to choose a new password is on its way.");
  await expect(sameAnswer).toBeVisible();
  await page.reload();
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(sameAnswer).toBeVisible();

  const mail = await mailTo(person.email, /Reset your Hearth password/);
  expect(mail.html).toBeTruthy();
  const link = new URL(linkIn(mail, "/reset-password/"));
  await page.goto(link.pathname);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=1$/);

  // The old password no longer works; the new one does.
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is wrong.")).toBeVisible();
  await page.getByLabel("Password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // The link cannot be used a second time.
  await page.goto(link.pathname);
  await expect(page.locator("main")).toContainText("This link is not valid any more");
  await expect(page.getByLabel("New password")).toHaveCount(0);

  // The session that was open before the reset has ended.
  await person.page.goto("/dashboard");
  await expect(person.page).toHaveURL(/\/sign-in\?callbackUrl=/);
  expect(await mailsTo(person.email, /Reset your Hearth password/)).toHaveLength(1);
  await other.close();
  await person.context.close();
});

test("an invitation sent by mail is accepted by a new account through the mail's link", async ({ browser }) => {
  const owner = await newPerson(browser, "inviter");
  const address = `club-${uid()}`;
  await startCommunity(owner.page, { name: "Knitting Circle", address });
  await owner.page.goto(`/dashboard/${address}/members`);
  const email = `invitee-${uid()}@example.test`;
  await owner.page.getByLabel("Email address").fill(email);
  await owner.page.getByRole("button", { name: "Create invitation" }).click();
  await expect(owner.page.getByText(`Invitation mailed to ${email}`)).toBeVisible();

  const mail = await mailTo(email, /You are invited to Knitting Circle/);
  expect(mail.text).toContain("invites you to join Knitting Circle");
  const link = new URL(linkIn(mail, "/invitations/"));

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link.pathname);
  await expect(guest.getByRole("heading", { level: 1 })).toHaveText("Join Knitting Circle");
  await guest.getByRole("link", { name: "Create an account" }).click();
  await expect(guest).toHaveURL(/\/sign-up\?callbackUrl=%2Finvitations%2F/);
  await signUp(guest, { email, name: "Invitee" }, /\/invitations\//, false);
  await guest.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(guest).toHaveURL(new RegExp(`/dashboard/${address}$`));
  await expect(guest.locator("main")).toContainText("You are member of this community.");
  expect(await mailsTo(email, /You are invited/)).toHaveLength(1);
  await owner.context.close();
  await guestContext.close();
});
