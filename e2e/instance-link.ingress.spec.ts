// The instance through the ingress, as its organiser reaches it (issue 14): run by `npm test`'s
// ingress pass, against an app with the ingress on (Caddy's internal CA, any free ports). The
// community is funded through Checkout, the worker sets it up and makes it LIVE only once its
// domain answers over HTTPS through the ingress; the public page and the dashboard link to
// https://<address>.hearth.localhost:<port>, and the organiser clicks the dashboard's link in a
// Chromium that trusts exactly the CA root the ingress exported (nothing ignores certificate
// errors), landing on the stand-in's front page, which names the instance's domain.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, expect, test } from "@playwright/test";
import { contributeThroughCheckout, eventually, newPerson, sql, startCommunity, uid } from "./support";

/** A Chromium whose NSS database (in a HOME of its own) trusts the ingress's exported root as a CA. */
async function chromiumTrusting(root: string) {
  const home = mkdtempSync(join(tmpdir(), "hearth-e2e-browser-home-"));
  const nssdb = join(home, ".pki", "nssdb");
  mkdirSync(nssdb, { recursive: true });
  execFileSync("certutil", ["-N", "-d", `sql:${nssdb}`, "--empty-password"]);
  execFileSync("certutil", ["-A", "-d", `sql:${nssdb}`, "-n", "hearth-e2e-ingress-root", "-t", "C,,", "-i", root]);
  const { launchOptions } = test.info().project.use;
  const browser = await chromium.launch({ ...launchOptions, env: { ...process.env, HOME: home } });
  return { browser, close: async () => (await browser.close(), rmSync(home, { recursive: true, force: true })) };
}

test("the organiser follows the dashboard's link to the instance, served over https by the ingress", async ({ browser, baseURL }) => {
  test.setTimeout(600_000);
  const root = process.env.E2E_INGRESS_ROOT ?? "";
  expect(root, "E2E_INGRESS_ROOT names the exported CA root; `npm test` sets it").not.toBe("");

  const organiser = await newPerson(browser, "organiser");
  const address = `e2e-ingress-${uid()}`;
  const domain = `${address}.hearth.localhost`;
  await startCommunity(organiser.page, { name: `Ingress ${uid()}`, address });
  const { id } = (await sql<{ id: string }>(`SELECT id FROM "Community" WHERE slug = $1`, [address]))[0]!;
  // Stored once at creation: the address under the base domain the start form named.
  expect((await sql<{ domain: string }>(`SELECT domain FROM "Community" WHERE id = $1`, [id]))[0]!.domain).toBe(domain);

  // Funded in full through Checkout; LIVE only once the worker reached it through the ingress.
  await contributeThroughCheckout(organiser.page, address, "15");
  const status = () => sql<{ status: string }>(`SELECT status FROM "Community" WHERE id = $1`, [id]).then((r) => r[0]!.status);
  await eventually("the community going live behind the ingress", status, (s) => s === "LIVE", 420_000);
  const steps = await sql<{ key: string; state: string }>(
    `SELECT s.key, s.state FROM "InstanceStep" s JOIN "InstanceRun" r ON r.id = s."runId" JOIN "Instance" i ON i.id = r."instanceId"
     WHERE i."communityId" = $1 AND s.key LIKE 'ingress:%'`,
    [id],
  );
  expect(steps.filter((s) => s.state === "SUCCEEDED").map((s) => s.key).sort()).toEqual(["ingress:certificate", "ingress:reachable", "ingress:route"]);

  // The public page links to the instance too.
  await organiser.page.goto(`/c/${address}`);
  const publicLink = organiser.page.getByRole("link", { name: domain, exact: true });
  await expect(publicLink).toHaveAttribute("href", new RegExp(`^https://${domain.replace(/\./g, "\\.")}:\\d+$`));
  const href = (await publicLink.getAttribute("href"))!;

  // The organiser's session in a browser that trusts the exported root (written by the worker
  // when the ingress came up: it existed before the instance could go live).
  expect(existsSync(root), `the ingress's CA root at ${root}`).toBe(true);
  const trusted = await chromiumTrusting(root);
  try {
    const context = await trusted.browser.newContext({ baseURL, storageState: await organiser.context.storageState() });
    const page = await context.newPage();
    await page.goto(`/dashboard/${address}`);
    const status = page.getByRole("region", { name: "Instance", exact: true });
    await expect(status).toContainText("The server is running.");
    const open = status.getByRole("link", { name: `Open ${domain}` });
    await expect(open).toHaveAttribute("href", href);

    const [response] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`https://${domain}:`), { timeout: 60_000 }), open.click()]);
    await expect(page).toHaveURL(`${href}/`, { timeout: 60_000 });
    expect(response.status()).toBe(200);
    // Chromium accepted the ingress's certificate for this name (a certificate error would have
    // left it on an interstitial with no response).
    const security = await response.securityDetails();
    expect(security?.issuer).toMatch(/Caddy Local Authority/);
    expect(security?.protocol).toMatch(/^TLS 1\.[23]$/);
    await expect(page.getByRole("heading", { level: 1, name: /^Stand-in for Mastodon/ })).toBeVisible();
    await expect(page.getByText(`Instance: ${domain}`)).toBeVisible();
    await context.close();
  } finally {
    await trusted.close();
  }
  await organiser.context.close();
});
