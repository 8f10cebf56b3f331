// Archives that try to write outside their folder, or to fill the disk, or that were changed:
// each is refused with a sentence, and nothing is written outside the staging folder.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as tar from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { stageBuffer, writeArchive } from "./archive";
import { checkArchive, MANIFEST_FORMAT } from "./check-archive";
import { checkInnerTar, extractArchive } from "./read-archive";

type Item = { name: string; type?: tar.Header["type"]; content?: Buffer; linkname?: string };

async function tarOf(items: Item[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const item of items) {
    const content = item.content ?? Buffer.alloc(0);
    const plain = !item.type || item.type === "file";
    const header = { name: item.name, type: item.type ?? "file", size: plain ? content.length : 0, linkname: item.linkname };
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (plain) pack.entry(header, content, done);
      else pack.entry(header, done).end(Buffer.alloc(0));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const root = mkdtempSync(join(tmpdir(), "hearth-archive-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh world: the archive file, an empty staging folder, and an "outside" folder next to it that must stay empty. */
async function world(items: Item[] | Buffer, gzip = true) {
  const dir = join(root, `w${++n}`);
  const staging = join(dir, "staging");
  const outside = join(dir, "outside");
  mkdirSync(staging, { recursive: true });
  mkdirSync(outside);
  const raw = Buffer.isBuffer(items) ? items : await tarOf(items);
  const archive = join(dir, "upload.tar.gz");
  writeFileSync(archive, gzip ? gzipSync(raw) : raw);
  const untouched = () => {
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(["outside", "staging", "upload.tar.gz"]);
  };
  return { archive, staging, outside, untouched };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
function manifest(files: { path: string; content: Buffer }[], extra: object = {}) {
  return Buffer.from(
    JSON.stringify({
      format: MANIFEST_FORMAT,
      software: "MASTODON",
      version: "v4.5.0",
      domain: "social.example.org",
      createdAt: new Date().toISOString(),
      files: files.map((f) => ({ path: f.path, size: f.content.length, sha256: sha(f.content) })),
      ...extra,
    }),
  );
}

describe("unpacking an archive from elsewhere", () => {
  it("a well-formed archive unpacks into the staging folder, checksums checked", async () => {
    const dump = Buffer.from("PGDMP fake dump");
    const media = await tarOf([{ name: "system/", type: "directory" }, { name: "system/a.png", content: Buffer.from("png") }]);
    const w = await world([
      { name: "manifest.json", content: manifest([{ path: "database.pgdump", content: dump }, { path: "media.tar", content: media }]) },
      { name: "database.pgdump", content: dump },
      { name: "media.tar", content: media },
    ]);
    const checked = await checkArchive(w.archive, w.staging, undefined, "system");
    expect(checked.manifest.software).toBe("MASTODON");
    expect(checked.manifest.rowCounts).toBeUndefined();
    expect(checked.file("database.pgdump")).toBe(join(w.staging, "database.pgdump"));
    expect(readdirSync(w.staging).sort()).toEqual(["database.pgdump", "manifest.json", "media.tar"]);
  });

  it("an archive Hearth writes, with names longer than ustar's 100 bytes, unpacks whole", async () => {
    const dir = join(root, `w${++n}`);
    const work = join(dir, "work");
    const staging = join(dir, "staging");
    mkdirSync(staging, { recursive: true });
    const names = [`config/${"long-folder-name-".repeat(8)}/app.env`, `media/${"x".repeat(150)}.png`];
    expect(names.every((name) => Buffer.byteLength(name) > 100)).toBe(true);
    const staged = await Promise.all(names.map((name, i) => stageBuffer(work, name, "a file", Buffer.from(`content ${i}`))));
    const archive = join(dir, "written.tar.gz");
    await writeArchive(archive, staged);
    const files = await extractArchive(archive, staging);
    expect(files.map((f) => [f.name, f.size])).toEqual(names.map((name, i) => [name, `content ${i}`.length]));
    names.forEach((name, i) => expect(readFileSync(join(staging, name), "utf8")).toBe(`content ${i}`));
  });

  const refusals: [string, Item[], RegExp][] = [
    ["a name with ..", [{ name: "../outside/evil", content: Buffer.from("x") }], /climbs out of its folder with “\.\.”/],
    ["a nested name with ..", [{ name: "config/../../outside/evil", content: Buffer.from("x") }], /climbs out/],
    ["an absolute name", [{ name: "/tmp/hearth-evil", content: Buffer.from("x") }], /absolute name/],
    ["a symlink, then a file through it", [{ name: "link", type: "symlink", linkname: "../outside" }, { name: "link/evil", content: Buffer.from("x") }], /symbolic link/],
    ["a hard link", [{ name: "hard", type: "link", linkname: "/etc/passwd" }], /hard link/],
    ["a character device", [{ name: "null", type: "character-device" }], /character device/],
    ["a block device", [{ name: "disk", type: "block-device" }], /block device/],
    ["a FIFO", [{ name: "pipe", type: "fifo" }], /FIFO/],
  ];
  for (const [what, items, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const w = await world(items);
      await expect(extractArchive(w.archive, w.staging)).rejects.toThrow(message);
      w.untouched();
    });
  }

  it("refuses a gzip bomb before it fills the disk", async () => {
    // 512 MB of zeros packs into about half a megabyte.
    const big = Buffer.alloc(512 * 1024 ** 2);
    const w = await world([{ name: "database.pgdump", content: big }]);
    await expect(extractArchive(w.archive, w.staging, { maxBytes: 10 * 1024 ** 3, maxRatio: 100, maxEntries: 100 })).rejects.toThrow(/expands to more than \d+ MB .*gzip bomb/);
    w.untouched();
    expect(readdirSync(w.staging).length).toBeLessThanOrEqual(1);
  }, 60_000);

  it("refuses what is not a gzip-compressed tar", async () => {
    const w = await world(Buffer.from("just some text, not an archive at all"), false);
    await expect(extractArchive(w.archive, w.staging)).rejects.toThrow(/not a gzip-compressed tar archive/);
    const plainTar = await world([{ name: "manifest.json", content: Buffer.from("{}") }], false);
    await expect(extractArchive(plainTar.archive, plainTar.staging)).rejects.toThrow(/not a gzip-compressed tar archive/);
  });

  it("refuses a file whose checksum does not match the manifest", async () => {
    const dump = Buffer.from("PGDMP the real dump");
    const w = await world([
      { name: "manifest.json", content: manifest([{ path: "database.pgdump", content: dump }]) },
      { name: "database.pgdump", content: Buffer.from("PGDMP the FAKE dump") },
    ]);
    await expect(checkArchive(w.archive, w.staging)).rejects.toThrow("database.pgdump does not match its checksum in the manifest: the archive is damaged or was changed.");
    w.untouched();
  });

  it("refuses files the manifest does not list, missing files, no manifest, a bad manifest", async () => {
    const dump = Buffer.from("PGDMP");
    const extra = await world([
      { name: "manifest.json", content: manifest([{ path: "database.pgdump", content: dump }]) },
      { name: "database.pgdump", content: dump },
      { name: "run-me.sh", content: Buffer.from("#!/bin/sh") },
    ]);
    await expect(checkArchive(extra.archive, extra.staging)).rejects.toThrow('The archive holds "run-me.sh", which its manifest does not list.');
    const missing = await world([{ name: "manifest.json", content: manifest([{ path: "database.pgdump", content: dump }]) }]);
    await expect(checkArchive(missing.archive, missing.staging)).rejects.toThrow("The manifest lists database.pgdump, but the archive does not hold it.");
    const none = await world([{ name: "database.pgdump", content: dump }]);
    await expect(checkArchive(none.archive, none.staging)).rejects.toThrow(/has no manifest\.json/);
    const bad = await world([{ name: "manifest.json", content: Buffer.from(JSON.stringify({ format: "something-else" })) }]);
    await expect(checkArchive(bad.archive, bad.staging)).rejects.toThrow(/manifest\.json is not one Hearth can read \(format:/);
  });

  it("refuses a media tar with links or entries outside its folder", async () => {
    const dir = join(root, "media");
    mkdirSync(dir);
    const sym = join(dir, "sym.tar");
    writeFileSync(sym, await tarOf([{ name: "system/", type: "directory" }, { name: "system/escape", type: "symlink", linkname: "/etc" }]));
    await expect(checkInnerTar(sym, "system")).rejects.toThrow(/symbolic link \("system\/escape"\)/);
    const other = join(dir, "other.tar");
    writeFileSync(other, await tarOf([{ name: "etc/cron.d/x", content: Buffer.from("x") }]));
    await expect(checkInnerTar(other, "system")).rejects.toThrow(/outside its “system” folder/);
    const ok = join(dir, "ok.tar");
    writeFileSync(ok, await tarOf([{ name: "system/", type: "directory" }, { name: "system/a", content: Buffer.from("abc") }]));
    expect(await checkInnerTar(ok, "system")).toEqual({ entries: 2, bytes: 3 });
  });
});
