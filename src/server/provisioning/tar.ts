// A minimal ustar writer: a few small files (generated config for putArchive, the stand-in
// images' root file system) with their owner and mode, and the headers of the large files of an
// export archive (written as streams). Enough for this, and no extra dependency.
type Entry = { name: string; mode: number; uid?: number; gid?: number } & (
  | { type: "file"; content: Buffer }
  | { type: "dir" }
  | { type: "symlink"; target: string }
);

const TYPEFLAG = { file: "0", symlink: "2", dir: "5" } as const;

function header(entry: Entry, size: number): Buffer {
  const block = Buffer.alloc(512, 0);
  const put = (value: string, offset: number, length: number) => block.write(value, offset, length, "utf8");
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, "0") + "\0";
  if (Buffer.byteLength(entry.name) > 100) throw new Error(`tar entry name too long: ${entry.name}`);
  put(entry.name, 0, 100);
  put(octal(entry.mode, 8), 100, 8);
  put(octal(entry.uid ?? 0, 8), 108, 8);
  put(octal(entry.gid ?? 0, 8), 116, 8);
  if (size < 8 ** 11) put(octal(size, 12), 124, 12);
  else {
    // GNU base-256 for 8 GiB and more: a marker byte, then the size in binary.
    block.writeUInt8(0x80, 124);
    block.writeBigUInt64BE(BigInt(size), 128);
  }
  put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  put("        ", 148, 8); // checksum is computed with this field as spaces
  put(TYPEFLAG[entry.type], 156, 1);
  if (entry.type === "symlink") put(entry.target, 157, 100);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  return block;
}

/** The 512-byte header of a regular file of `size` bytes; the content follows, padded by `tarPadding`. */
export function tarFileHeader(name: string, size: number, mode = 0o644): Buffer {
  return header({ type: "file", name, mode, content: Buffer.alloc(0) }, size);
}

export const tarPadding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512, 0);
export const TAR_END = Buffer.alloc(1024, 0);

export function tarball(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.type === "file" ? entry.content : Buffer.alloc(0);
    parts.push(header(entry, content.length), content, tarPadding(content.length));
  }
  parts.push(TAR_END);
  return Buffer.concat(parts);
}
