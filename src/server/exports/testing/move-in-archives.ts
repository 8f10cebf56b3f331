// Export archives made by hand for tests of what reads them (move in): any items, any manifest.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import * as tar from "tar-stream";
import type { PlanContext } from "@/server/provisioning";
import { MANIFEST_FORMAT } from "../check-archive";

export type Item = { name: string; type?: tar.Header["type"]; content?: Buffer; linkname?: string };

export async function tarOf(items: Item[]): Promise<Buffer> {
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
      const end = (error?: Error | null) => (error ? reject(error) : resolve());
      if (plain) pack.entry(header, content, end);
      else pack.entry(header, end).end(Buffer.alloc(0));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

export const MASTODON_SECRETS = {
  SECRET_KEY_BASE: "ab".repeat(64),
  VAPID_PRIVATE_KEY: "vapid-private-key-from-the-old-server",
  VAPID_PUBLIC_KEY: "vapid-public-key-from-the-old-server",
  ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY: "p".repeat(32),
  ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY: "d".repeat(32),
  ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT: "s".repeat(32),
};

/**
 * A Mastodon export as Hearth writes one (manifest first, every file listed with its sha256),
 * gzipped; `change` edits the parts before the manifest is made, `after` the tar items after.
 */
export async function mastodonArchive(options: {
  domain: string;
  version: string;
  software?: string;
  env?: Record<string, string>;
  after?: (items: Item[]) => Item[];
}): Promise<Buffer> {
  const dump = Buffer.from("PGDMP a dump for tests");
  const media = await tarOf([{ name: "system/", type: "directory" }, { name: "system/avatar.png", content: Buffer.from("png") }]);
  const envFile = Buffer.from(Object.entries(options.env ?? MASTODON_SECRETS).map(([k, v]) => `${k}=${v}`).join("\n") + "\nDB_PASS=old-db-password\n");
  const files = [
    { path: "database.pgdump", content: dump },
    { path: "config/app.env", content: envFile },
    { path: "media.tar", content: media },
  ];
  const manifest = Buffer.from(
    JSON.stringify({
      format: MANIFEST_FORMAT,
      software: options.software ?? "MASTODON",
      version: options.version,
      domain: options.domain,
      createdAt: new Date().toISOString(),
      files: files.map((f) => ({ path: f.path, size: f.content.length, sha256: sha256(f.content) })),
    }),
  );
  const items: Item[] = [{ name: "manifest.json", content: manifest }, ...files.map((f) => ({ name: f.path, content: f.content }))];
  return gzipSync(await tarOf(options.after ? options.after(items) : items));
}

export const PDS_SECRETS = {
  PDS_JWT_SECRET: "j".repeat(64),
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: "0f".repeat(32),
  PDS_ADMIN_PASSWORD: "the-old-servers-admin-password",
};

/** A Bluesky PDS export as Hearth writes one: its environment and its two volumes as tars. */
export async function pdsArchive(options: { domain: string; version: string; env?: Record<string, string>; extra?: { path: string; content: Buffer }[] }): Promise<Buffer> {
  const env = options.env ?? { PDS_HOSTNAME: options.domain, ...PDS_SECRETS };
  const files = [
    { path: "config/app.env", content: Buffer.from(Object.entries(env).map(([k, v]) => `${k}=${v}`).join("\n") + "\n") },
    { path: "pds/data.tar", content: await tarOf([{ name: "pds/", type: "directory" }, { name: "pds/account.sqlite", content: Buffer.from("SQLite format 3") }]) },
    { path: "pds/blobs.tar", content: await tarOf([{ name: "blobs/", type: "directory" }]) },
    ...(options.extra ?? []),
  ];
  const manifest = Buffer.from(
    JSON.stringify({
      format: MANIFEST_FORMAT,
      software: "BLUESKY_PDS",
      version: options.version,
      domain: options.domain,
      createdAt: new Date().toISOString(),
      files: files.map((f) => ({ path: f.path, size: f.content.length, sha256: sha256(f.content) })),
    }),
  );
  return gzipSync(await tarOf([{ name: "manifest.json", content: manifest }, ...files.map((f) => ({ name: f.path, content: f.content }))]));
}

/** As much of a provisioning context as the move-in's secrets step reads (firstSecrets). */
export const planContextOf = (communityId: string, software = "MASTODON") => ({ software, instance: { communityId } }) as unknown as PlanContext;
