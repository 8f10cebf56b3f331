// The tar writer read back by two readers: tar-stream's extract (what read-archive.ts uses) and
// GNU tar (what Docker's putArchive and an owner unpacking an export behave like). Owners,
// modes, links, names past ustar's 100 bytes, and a streamed file that does not hold its size.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { extract } from "tar-stream";
import { afterAll, describe, expect, it } from "vitest";
import { tarball, tarStream, type TarFile } from "./tar";

const work = mkdtempSync(join(tmpdir(), "hearth-tar-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type ReadEntry = { name: string; type: string; mode: number; uid: number; gid: number; linkname: string | null; content: string };

async function readBack(archive: Buffer): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  const reader = extract();
  Readable.from([archive]).pipe(reader as unknown as NodeJS.WritableStream);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const h = entry.header;
    entries.push({ name: h.name, type: h.type ?? "", mode: h.mode ?? 0, uid: h.uid ?? 0, gid: h.gid ?? 0, linkname: h.linkname ?? null, content: Buffer.concat(chunks).toString() });
  }
  return entries;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Unpacks with GNU tar into a fresh folder; returns it. */
function gnuExtract(archive: Buffer): string {
  const dir = mkdtempSync(join(work, "x-"));
  execFileSync("tar", ["-x", "-C", dir, "-f", "-"], { input: archive });
  return dir;
}

// 100 bytes is all a ustar name field holds: the first goes to ustar's prefix field, the second
// (one folder name of 120 bytes) and the third (over 255 bytes) need a PAX header.
const LONG = [
  `media/${"a".repeat(60)}/${"b".repeat(60)}/file.txt`,
  `media/${"c".repeat(120)}/file.txt`,
  `media/${Array.from({ length: 6 }, (_, i) => `${i}`.repeat(50)).join("/")}/file.txt`,
];

describe("tarball", () => {
  it("keeps owner, mode, folders and symbolic links", async () => {
    const archive = await tarball([
      { type: "dir", name: ".config/", mode: 0o750, uid: 991, gid: 991 },
      { type: "file", name: ".config/default.yml", mode: 0o440, uid: 991, gid: 992, content: Buffer.from("port: 3000\n") },
      { type: "symlink", name: "sh", mode: 0o777, target: "busybox" },
    ]);
    expect(archive.length % 512).toBe(0);
    expect(await readBack(archive)).toEqual([
      { name: ".config/", type: "directory", mode: 0o750, uid: 991, gid: 991, linkname: null, content: "" },
      { name: ".config/default.yml", type: "file", mode: 0o440, uid: 991, gid: 992, linkname: null, content: "port: 3000\n" },
      { name: "sh", type: "symlink", mode: 0o777, uid: 0, gid: 0, linkname: "busybox", content: "" },
    ]);
    const listed = execFileSync("tar", ["-tv", "--numeric-owner", "-f", "-"], { input: archive, encoding: "utf8" });
    expect(listed).toMatch(/^drwxr-x--- 991\/991 .* \.config\/$/m);
    expect(listed).toMatch(/^-r--r----- 991\/992 .* \.config\/default\.yml$/m);
    expect(listed).toMatch(/^lrwxrwxrwx 0\/0 .* sh -> busybox$/m);
  });

  it("writes names longer than 100 bytes, which both readers get back whole", async () => {
    expect(LONG.map((name) => Buffer.byteLength(name) > 100)).toEqual([true, true, true]);
    const archive = await tarball(LONG.map((name, i) => ({ type: "file" as const, name, mode: 0o644, content: Buffer.from(`file ${i}\n`) })));
    expect((await readBack(archive)).map((e) => [e.name, e.content])).toEqual(LONG.map((name, i) => [name, `file ${i}\n`]));
    const dir = gnuExtract(archive);
    LONG.forEach((name, i) => expect(readFileSync(join(dir, name), "utf8")).toBe(`file ${i}\n`));
  });

  it("an empty list is an empty archive", async () => {
    expect(await readBack(await tarball([]))).toEqual([]);
  });
});

const fileOf = (name: string, text: string, size = Buffer.byteLength(text)): TarFile => ({
  name,
  size,
  mode: 0o600,
  content: async function* () {
    yield Buffer.from(text);
  },
});

describe("tarStream", () => {
  it("streams files in order with long names, as GNU tar reads them", async () => {
    const archive = await bytesOf(tarStream([fileOf("manifest.json", "{}"), ...LONG.map((name, i) => fileOf(name, `streamed ${i}`))]));
    expect((await readBack(archive)).map((e) => [e.name, e.mode, e.content])).toEqual([
      ["manifest.json", 0o600, "{}"],
      ...LONG.map((name, i) => [name, 0o600, `streamed ${i}`]),
    ]);
    const dir = gnuExtract(archive);
    LONG.forEach((name, i) => expect(readFileSync(join(dir, name), "utf8")).toBe(`streamed ${i}`));
  });

  it("fails, naming the file, when a file holds fewer or more bytes than announced", async () => {
    await expect(bytesOf(tarStream([fileOf("a.txt", "abc", 4)]))).rejects.toThrow("a.txt changed while it was being archived.");
    await expect(bytesOf(tarStream([fileOf("ok.txt", "fine"), fileOf("b.txt", "abcdef", 3)]))).rejects.toThrow("b.txt changed while it was being archived.");
  });

  it("reads a file only as fast as the archive is read", async () => {
    const CHUNK = 64 * 1024;
    const TOTAL = 16 * 1024 * 1024;
    let produced = 0;
    const big: TarFile = {
      name: "big.bin",
      size: TOTAL,
      mode: 0o600,
      content: async function* () {
        while (produced < TOTAL) {
          produced += CHUNK;
          yield Buffer.alloc(CHUNK, 1);
        }
      },
    };
    let consumed = 0;
    let ahead = 0;
    for await (const chunk of tarStream([big])) {
      consumed += (chunk as Buffer).length;
      ahead = Math.max(ahead, produced - consumed);
    }
    expect(consumed).toBe(512 + TOTAL + 1024);
    // Without back-pressure the whole file would be read before the first chunk is taken.
    expect(ahead).toBeLessThan(1024 * 1024);
  });
});
