// Tar archives, written with tar-stream: names of any length (a PAX header where ustar's 100
// bytes do not reach), sizes past 8 GiB. Two shapes: a few small entries built in memory with
// their owner and mode (generated config for putArchive, the stand-in images' scripts), and
// large files streamed in order with their size known up front (an export's parts, a dump
// copied into a container), never held in memory.
import { Readable } from "node:stream";
import { pack, type Header, type Pack } from "tar-stream";

// The header fields this writer sets; tar-stream fills in the rest (mtime: now).
type Headers = Partial<Header> & Pick<Header, "name">;

export type TarEntry = { name: string; mode: number; uid?: number; gid?: number } & (
  | { type: "file"; content: Buffer }
  | { type: "dir" }
  | { type: "symlink"; target: string }
);

/** A file whose content is read when its turn comes; it must yield exactly `size` bytes. */
export type TarFile = { name: string; size: number; mode: number; content: () => AsyncIterable<Buffer> };

function headerOf(entry: TarEntry): Headers {
  const owner = { name: entry.name, mode: entry.mode, uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
  if (entry.type === "dir") return { ...owner, type: "directory" };
  if (entry.type === "symlink") return { ...owner, type: "symlink", linkname: entry.target };
  return { ...owner, type: "file", size: entry.content.length };
}

/** Adds one entry and resolves once tar-stream has taken all of it. */
function add(archive: Pack, header: Headers, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (content) archive.entry(header, content, done);
    else archive.entry(header, done).end(Buffer.alloc(0));
  });
}

async function collect(archive: Pack): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The whole archive of these entries, in this order, in memory (for small generated files). */
export async function tarball(entries: TarEntry[]): Promise<Buffer> {
  const archive = pack();
  const bytes = collect(archive);
  try {
    for (const entry of entries) await add(archive, headerOf(entry), entry.type === "file" ? entry.content : undefined);
    archive.finalize();
  } catch (error) {
    archive.destroy(error as Error);
  }
  return bytes;
}

type EntryWriter = ReturnType<Pack["entry"]>;

/** Waits until the entry takes more (the archive's reader caught up), or fails if it was closed. */
function drained(entry: EntryWriter): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      entry.off("drain", onDrain);
      entry.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error("The archive was closed before it was complete."));
    entry.on("drain", onDrain);
    entry.on("close", onClose);
  });
}

async function streamFile(archive: Pack, file: TarFile): Promise<void> {
  let entry: EntryWriter | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    entry = archive.entry({ name: file.name, size: file.size, mode: file.mode, type: "file" }, (error) => (error ? reject(error) : resolve()));
  });
  // A failure of this entry fails the whole archive (tarStream destroys it with the error); the
  // entry's own copy of that error needs no second report.
  finished.catch(() => {});
  entry!.on("error", () => {});
  let written = 0;
  for await (const chunk of file.content()) {
    written += chunk.length;
    // The header promised `size` bytes: more (or fewer, below) would corrupt every entry after it.
    if (written > file.size) break;
    if (!entry!.write(chunk)) await drained(entry!);
  }
  if (written !== file.size) throw new Error(`${file.name} changed while it was being archived.`);
  entry!.end(Buffer.alloc(0));
  await finished;
}

/**
 * The archive of these files, in this order, as a stream: each file's content is read only
 * when the reader of the archive is ready for it. A file that does not hold its announced size
 * fails the stream.
 */
export function tarStream(files: TarFile[]): Readable {
  const archive = pack();
  void (async () => {
    try {
      for (const file of files) await streamFile(archive, file);
      archive.finalize();
    } catch (error) {
      archive.destroy(error as Error);
    }
  })();
  return Readable.from(archive, { objectMode: false });
}
