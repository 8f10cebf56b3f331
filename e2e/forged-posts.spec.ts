// Forms posted by someone who should not: another account that edits the hidden community
// field of its own forms, and another site that posts with the owner's cookies.
import { expect, test, type Page } from "@playwright/test";
import { communityRow, newPerson, startCommunity, submit, uid } from "./support";

async function formFields(page: Page, selector: string): Promise<Record<string, string>> {
  return page.locator(selector).evaluate((form: HTMLFormElement) => {
    const fields: Record<string, string> = {};
    new FormData(form).forEach((value, key) => {
      if (typeof value === "string") fields[key] = value;
    });
    return fields;
  });
}

const REFUSED = "There is no such community, or you cannot see it.";
const formWith = (page: Page, button: string) => page.locator("form", { has: page.getByRole("button", { name: button }) });

test("another account that rewrites the hidden community field changes nothing", async ({ browser }) => {
  const victim = await newPerson(browser, "victim");
  const target = `target-${uid()}`;
  await startCommunity(victim.page, { name: "Target", address: target, description: "Original." });

  const attacker = await newPerson(browser, "attacker");
  const own = `own-${uid()}`;
  await startCommunity(attacker.page, { name: "Own", address: own });
  const page = attacker.page;
  const before = await communityRow(target);

  const retarget = () =>
    page.locator('input[type=hidden][name="community"]').evaluateAll((inputs, slug) => {
      for (const input of inputs as HTMLInputElement[]) input.value = slug;
    }, target);

  await page.goto(`/dashboard/${own}/settings`);
  await retarget();
  await page.getByLabel("Community name").fill("Hijacked");
  await submit(page, "Save settings");
  await expect(formWith(page, "Save settings")).toContainText(REFUSED);

  await retarget();
  await page.getByLabel(/Type “.*” to confirm/).fill(target);
  await submit(page, "Delete this community");
  await expect(formWith(page, "Delete this community")).toContainText(REFUSED);

  await page.goto(`/dashboard/${own}/members`);
  await retarget();
  await page.getByLabel("Email address").fill(`friend-${uid()}@example.test`);
  await submit(page, "Create invitation");
  await expect(formWith(page, "Create invitation")).toContainText(REFUSED);

  expect(await communityRow(target)).toEqual(before);
  expect(await communityRow(own)).toMatchObject({ name: "Own", invitations: 0 });
  await victim.context.close();
  await attacker.context.close();
});

test("a post from another site with the owner's cookies is refused; the same post from here works", async ({ browser, baseURL }) => {
  const owner = await newPerson(browser, "owner");
  const address = `csrf-${uid()}`;
  await startCommunity(owner.page, { name: "Before", address });
  await owner.page.goto(`/dashboard/${address}/settings`);
  const fields = await formFields(owner.page, "form:has([name=rules])");
  fields.name = "Changed";
  const url = `${baseURL}/dashboard/${address}/settings`;

  const foreign = await owner.context.request.post(url, { multipart: fields, headers: { Origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  expect(await communityRow(address)).toMatchObject({ name: "Before" });

  // Control: the captured form is a real action post; from our own origin it does apply.
  const own = await owner.context.request.post(url, { multipart: fields, headers: { Origin: new URL(baseURL!).origin } });
  expect(own.status()).toBe(200);
  expect(await communityRow(address)).toMatchObject({ name: "Changed" });
  await owner.context.close();
});
