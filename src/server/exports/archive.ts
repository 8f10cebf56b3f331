// The pieces of an export are first written to a work folder (a tar header needs each file's
// size before its content, and a dump's size is known only at its end), with their size and
// sha256 taken on the way; then they are packed, in order, into one tar.gz.
import "server-only";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PassThrough, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { tarStream } from "@/server/provisioning";

/** A file in the work folder; `name` is its path inside the archive. */
export type StagedFile = { name: string; path: string; size: number; sha256: string; what: string };

/**
 * A writable that saves what it is given as `name` in the work folder; `done` resolves with the
 * staged file once the writable has been ended and everything is on disk.
 */
export async function stageWriter(
  work: string,
  name: string,
  what: string,
  onBytes?: (total: number) => void,
): Promise<{ input: Writable; done: Promise<StagedFile> }> {
  const path = join(work, name);
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash("sha256");
  let size = 0;
  const input = new PassThrough();
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(size);
      next(null, chunk);
    },
  });
  const done = pipeline(input, tap, createWriteStream(path, { mode: 0o600 })).then(() => ({
    name,
    path,
    size,
    sha256: hash.digest("hex"),
    what,
  }));
  // Failures surface through `done`; this keeps an early one from being reported as unhandled.
  done.catch(() => {});
  return { input, done };
}

export async function stageBuffer(work: string, name: string, what: string, content: Buffer): Promise<StagedFile> {
  const path = join(work, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { mode: 0o600 });
  return { name, path, size: content.length, sha256: createHash("sha256").update(content).digest("hex"), what };
}

/**
 * Packs the staged files, in this order, into a new tar.gz at `target` (readable by its owner
 * only). A staged file whose size changed since it was staged fails the archive.
 */
export async function writeArchive(target: string, files: StagedFile[]): Promise<void> {
  const entries = files.map((file) => ({ name: file.name, size: file.size, mode: 0o600, content: () => createReadStream(file.path) }));
  await pipeline(tarStream(entries), createGzip(), createWriteStream(target, { flags: "wx", mode: 0o600 }));
}
