// Reading an export archive that may come from anywhere (our own exports folder, another Hearth,
// an owner's upload): a tar.gz is unpacked into a staging folder only after each entry has been
// checked. Only plain files and folders with relative names that stay inside the folder are
// written; links (symbolic or hard), devices, FIFOs, absolute names and `..` are refused with the
// entry's name, and so is an archive that expands far beyond its size (a gzip bomb).
import "server-only";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import * as tar from "tar-stream";
import { AppError } from "@/server/errors/app-error";

export type ArchiveLimits = {
  /** Most bytes the archive may expand to. */
  maxBytes: number;
  /** Most the archive may expand relative to its compressed size (plus a small allowance). */
  maxRatio: number;
  maxEntries: number;
};

export const DEFAULT_LIMITS: ArchiveLimits = { maxBytes: 200 * 1024 ** 3, maxRatio: 200, maxEntries: 100_000 };

export class ArchiveRefused extends AppError {
  constructor(message: string) {
    super("UNPROCESSABLE", message);
  }
}

/** A name inside an archive, as a safe relative path, or a refusal that names it. */
export function safeEntryName(raw: string): string {
  const name = raw.replace(/^\.\/+/, "").replace(/\/+$/, "");
  const shown = JSON.stringify(raw.slice(0, 200));
  if (name === "" || name === ".") return "";
  if (name.includes("\0")) throw new ArchiveRefused(`The archive has an entry whose name holds a NUL byte (${shown}).`);
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name) || name.startsWith("\\")) {
    throw new ArchiveRefused(`The archive has an entry with an absolute name (${shown}); only names relative to the archive are accepted.`);
  }
  if (name.split(/[/\\]/).some((part) => part === "..")) {
    throw new ArchiveRefused(`The archive has an entry whose name climbs out of its folder with “..” (${shown}).`);
  }
  return name;
}

const KINDS: Record<string, string> = {
  symlink: "a symbolic link",
  link: "a hard link",
  "character-device": "a character device",
  "block-device": "a block device",
  fifo: "a FIFO",
  "contiguous-file": "a contiguous file",
};

function checkType(type: string | null | undefined, name: string): "file" | "directory" {
  if (type === "file" || type === "directory") return type;
  const what = KINDS[type ?? ""] ?? `an entry of type ${type ?? "unknown"}`;
  throw new ArchiveRefused(`The archive holds ${what} (${JSON.stringify(name.slice(0, 200))}); only plain files and folders are accepted.`);
}

/** Counts what passes and stops at `max` bytes with the refusal it is given. */
function meter(max: number, refusal: () => Error): Transform & { bytes: () => number } {
  let total = 0;
  const t = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      total += chunk.length;
      if (total > max) next(refusal());
      else next(null, chunk);
    },
  }) as Transform & { bytes: () => number };
  t.bytes = () => total;
  return t;
}

export type ExtractedFile = { name: string; path: string; size: number };

type Entry = AsyncIterable<Buffer> & { resume: () => void };

async function readEntries(source: Readable, onEntry: (header: tar.Header, name: string, stream: Entry) => Promise<void>, maxEntries: number): Promise<void> {
  const extract = tar.extract();
  source.on("error", (error) => extract.destroy(error));
  source.pipe(extract as unknown as NodeJS.WritableStream);
  let count = 0;
  try {
    for await (const entry of extract) {
      count += 1;
      if (count > maxEntries) throw new ArchiveRefused(`The archive has more than ${maxEntries} entries.`);
      await onEntry(entry.header, safeEntryName(entry.header.name), entry as unknown as Entry);
    }
  } finally {
    source.unpipe();
    source.destroy();
  }
}

function describeReadFailure(error: unknown): never {
  if (error instanceof AppError) throw error;
  const code = (error as { code?: string }).code;
  if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") throw new ArchiveRefused("This is not a gzip-compressed tar archive (or it is damaged).");
  if (error instanceof Error && /tar|header|checksum/i.test(error.message)) {
    throw new ArchiveRefused(`This is not a tar archive Hearth can read: ${error.message}`);
  }
  throw error;
}

/**
 * Unpacks the tar.gz at `archive` into `target` (which must exist and be empty). Resolves with
 * the files written; throws ArchiveRefused, with a sentence for the person who sent it, before
 * anything outside `target` could be touched.
 */
export async function extractArchive(archive: string, target: string, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ExtractedFile[]> {
  const root = resolve(target);
  const { size: compressed } = await stat(archive);
  const max = Math.min(limits.maxBytes, compressed * limits.maxRatio + 64 * 1024 ** 2);
  const files: ExtractedFile[] = [];
  const inflated = meter(
    max,
    () => new ArchiveRefused(`The archive expands to more than ${Math.round(max / 1024 ** 2)} MB (a compressed size of ${Math.round(compressed / 1024)} KB): refused as a possible gzip bomb.`),
  );
  const source = inflated;
  // pipeline destroys every stream with the first error (a bad gzip header, the meter's refusal).
  pipeline(createReadStream(archive), createGunzip(), inflated).catch((error: unknown) => inflated.destroy(error as Error));
  try {
    await readEntries(
      source,
      async (header, name, stream) => {
        const type = checkType(header.type, name);
        if (name === "") {
          stream.resume();
          return;
        }
        const path = resolve(root, name);
        if (!path.startsWith(root + sep)) throw new ArchiveRefused(`The archive has an entry outside its folder (${JSON.stringify(name)}).`);
        if (type === "directory") {
          await mkdir(path, { recursive: true, mode: 0o700 });
          stream.resume();
          return;
        }
        await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
        // "wx": never through an existing name (a duplicate entry is refused, not followed).
        await pipeline(Readable.from(stream), createWriteStream(path, { flags: "wx", mode: 0o600 })).catch((error: unknown) => {
          if ((error as { code?: string }).code === "EEXIST") throw new ArchiveRefused(`The archive holds ${JSON.stringify(name)} twice.`);
          throw error;
        });
        files.push({ name, path, size: header.size ?? 0 });
      },
      limits.maxEntries,
    );
  } catch (error) {
    describeReadFailure(error);
  }
  return files;
}

/**
 * Checks an inner, uncompressed tar (the media folder) without unpacking it: plain files and
 * folders only, every name under `top/`. Docker unpacks it later inside the container's volume.
 */
export async function checkInnerTar(path: string, top: string, maxEntries = 10_000_000): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  try {
    await readEntries(
      createReadStream(path),
      async (header, name, stream) => {
        checkType(header.type, name);
        if (name !== top && !name.startsWith(`${top}/`)) {
          throw new ArchiveRefused(`The media archive has an entry outside its “${top}” folder (${JSON.stringify(name.slice(0, 200))}).`);
        }
        entries += 1;
        bytes += header.size ?? 0;
        for await (const chunk of stream) void chunk;
      },
      maxEntries,
    );
  } catch (error) {
    describeReadFailure(error);
  }
  return { entries, bytes };
}
