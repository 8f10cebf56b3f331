// Moving in from the browser: the start form's "Move in from an export", then the dashboard's
// resumable upload (tus-js-client against /api/move-in/uploads): an archive of another domain is
// refused with the sentence at the field, and one of this community's domain is accepted. The
// card's link to the packing script for self-hosted servers serves the script.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import * as tar from "tar-stream";
import { fillCommunityForm, signUp, sql, uid } from "./support";

async function tarOf(items: { name: string; content: Buffer; type?: "file" | "directory" }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const item of items) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: item.name, type: item.type ?? "file", size: item.type === "directory" ? 0 : item.content.length }, item.content, (e) => (e ? reject(e) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A Mastodon export as Hearth writes one, from an older version (migrations bring it up). */
async function archive(domain: string): Promise<Buffer> {
  const env = ["SECRET_KEY_BASE=" + "ab".repeat(64), "VAPID_PRIVATE_KEY=private", "VAPID_PUBLIC_KEY=public", ...["PRIMARY_KEY", "DETERMINISTIC_KEY", "KEY_DERIVATION_SALT"].map((k) => `ACTIVE_RECORD_ENCRYPTION_${k}=${"k".repeat(32)}`)].join("\n");
  const files = [
    { path: "database.pgdump", content: Buffer.from("PGDMP a dump") },
    { path: "config/app.env", content: Buffer.from(env + "\n") },
    { path: "media.tar", content: await tarOf([{ name: "system/", content: Buffer.alloc(0), type: "directory" }, { name: "system/a.txt", content: Buffer.from("a") }]) },
  ];
  const manifest = {
    format: "hearth-instance-export/1",
    software: "MASTODON",
    version: "v1.0.0",
    domain,
    createdAt: new Date().toISOString(),
    files: files.map((f) => ({ path: f.path, size: f.content.length, sha256: createHash("sha256").update(f.content).digest("hex") })),
  };
  return gzipSync(await tarOf([{ name: "manifest.json", content: Buffer.from(JSON.stringify(manifest)) }, ...files.map((f) => ({ name: f.path, content: f.content }))]));
}

test("an organiser starts a community that moves in and uploads its archive", async ({ page }) => {
  await signUp(page, { email: `mover-${uid()}@example.test`, name: "Mover" });
  const address = `moving-${uid()}`;
  await page.goto("/start");
  await fillCommunityForm(page, { name: "Moving Town", address });
  await page.getByRole("radio", { name: /^Move in from an export/ }).check();
  await page.getByRole("button", { name: "Start the community" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${address}\\?created=1$`));
  const card = page.getByRole("region", { name: "Moving in" });
  await expect(card).toContainText("Upload the archive before the community is funded");
  const [community] = await sql<{ domain: string }>(`SELECT domain FROM "Community" WHERE slug = $1`, [address]);
  const domain = community!.domain;
  // A server that never ran on Hearth: the card links to the script that packs one.
  const script = card.getByRole("link", { name: "pack-archive.sh" });
  const download = await page.request.get((await script.getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect(await download.text()).toMatch(/^#!\/bin\/sh\n# Packs a Mastodon, Misskey or Sharkey server/);

  const field = page.getByLabel("Export archive");
  await field.setInputFiles({ name: "elsewhere.tar.gz", mimeType: "application/gzip", buffer: await archive("social.elsewhere.example") });
  await card.getByRole("button", { name: "Upload the archive" }).click();
  await expect(page.locator("#field-move-in-archive-error")).toContainText(`This archive is of social.elsewhere.example, but this community's domain is ${domain}.`);
  await expect(field).toHaveAttribute("aria-invalid", "true");

  await field.setInputFiles({ name: "ours.tar.gz", mimeType: "application/gzip", buffer: await archive(domain) });
  await card.getByRole("button", { name: "Upload the archive" }).click();
  await expect(page.getByTestId("move-in-accepted")).toContainText(/Accepted: moving-.*\.tar\.gz .*Mastodon v1\.0\.0/);
  const [row] = await sql<{ archive: string | null }>(`SELECT m.archive FROM "MoveIn" m JOIN "Community" c ON c.id = m."communityId" WHERE c.slug = $1`, [address]);
  expect(row?.archive).toMatch(new RegExp(`^${address}-\\d{8}-\\d{6}-[0-9a-f]{6}\\.tar\\.gz$`));
});
