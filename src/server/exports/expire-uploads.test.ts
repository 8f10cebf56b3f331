// The worker's expiry of move-in uploads: an unfinished upload stays while it may still resume
// (a week after its last byte, its community still moving in), and goes otherwise.
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import { expireUploads, UPLOAD_KEPT_MS } from "./expire-uploads";
import { uploadsDir } from "./move-in-upload";

process.env.HEARTH_EXPORTS_DIR ??= mkdtempSync(join(tmpdir(), "hearth-expire-uploads-"));

afterAll(() => db.$disconnect());

let serial = 0;
/** An unfinished upload as tus's FileStore leaves it: the data, and its `.json` beside it, last written `at`. */
function upload(communityId: string, at: Date): string {
  serial += 1;
  const id = `${communityId}-${serial.toString(16).padStart(32, "0")}`;
  mkdirSync(uploadsDir(), { recursive: true });
  writeFileSync(join(uploadsDir(), id), Buffer.alloc(1024));
  writeFileSync(join(uploadsDir(), `${id}.json`), JSON.stringify({ id, size: 4096, offset: 1024 }));
  for (const name of [id, `${id}.json`]) utimesSync(join(uploadsDir(), name), at, at);
  return id;
}

const present = () => new Set(readdirSync(uploadsDir()));

describe("expiring move-in uploads", () => {
  it("keeps what can still resume and removes the stale, the deleted community's and the one whose community no longer moves in", async () => {
    const owner = await makeUser();
    const now = new Date();
    const [moving, deleted, settled, plain] = await Promise.all([
      makeCommunity(owner, { start: "move-in" }),
      makeCommunity(owner, { start: "move-in" }),
      makeCommunity(owner, { start: "move-in" }),
      makeCommunity(owner),
    ]);
    const day = 24 * 60 * 60_000;
    const fresh = upload(moving.id, new Date(now.getTime() - day));
    const almostWeek = upload(moving.id, new Date(now.getTime() - UPLOAD_KEPT_MS + day));
    const stale = upload(moving.id, new Date(now.getTime() - UPLOAD_KEPT_MS - day));
    const ofDeleted = upload(deleted.id, now);
    const ofSettled = upload(settled.id, now);
    const ofPlain = upload(plain.id, now);
    const unknown = join(uploadsDir(), "notes.txt");
    writeFileSync(unknown, "not an upload");
    await db.community.update({ where: { id: deleted.id }, data: { deletedAt: now } });
    // Set up already: its archive was taken (or it started empty); nothing can be moved in now.
    await db.instance.create({ data: { communityId: settled.id, phase: "PROVISIONING", images: {}, secretsSealed: "sealed" } });

    expect(await expireUploads(now)).toBe(4);
    const left = present();
    for (const id of [fresh, almostWeek]) expect([left.has(id), left.has(`${id}.json`)]).toEqual([true, true]);
    for (const id of [stale, ofDeleted, ofSettled, ofPlain]) expect([left.has(id), left.has(`${id}.json`)]).toEqual([false, false]);
    expect(left.has("notes.txt")).toBe(true);
    // Nothing more to do on the next pass.
    expect(await expireUploads(now)).toBe(0);
  });

  it("an upload resumed recently counts from its last byte, not from when it started", async () => {
    const owner = await makeUser();
    const community = await makeCommunity(owner, { start: "move-in" });
    const now = new Date();
    const id = upload(community.id, new Date(now.getTime() - 2 * UPLOAD_KEPT_MS));
    // A PATCH appended to the data an hour ago; the `.json` still has the creation time.
    const hourAgo = new Date(now.getTime() - 60 * 60_000);
    utimesSync(join(uploadsDir(), id), hourAgo, hourAgo);
    expect(await expireUploads(now)).toBe(0);
    expect(present().has(id)).toBe(true);
  });
});
