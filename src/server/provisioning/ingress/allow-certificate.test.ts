// Hearth's ask rule against the real database: existing communities' domains yes, own domains
// only once verified, deleted communities and strangers no.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { seedCommunity } from "@/server/provisioning/testing/fixtures";
import { allowCertificate } from "./allow-certificate";

describe("allowCertificate", () => {
  it("says yes only for domains of existing communities, own ones once verified", async () => {
    const sub = await seedCommunity("MASTODON", "ask");
    const own = await seedCommunity("MISSKEY", "own");
    const gone = await seedCommunity("SHARKEY", "gone");
    const suffix = randomBytes(3).toString("hex");
    await db.community.update({ where: { id: sub.community.id }, data: { domain: `a${suffix}.hearth.example` } });
    await db.community.update({ where: { id: own.community.id }, data: { domain: `club${suffix}.example`, domainOwn: true } });
    await db.community.update({ where: { id: gone.community.id }, data: { domain: `g${suffix}.hearth.example`, deletedAt: new Date() } });

    expect(await allowCertificate(`A${suffix}.hearth.example`)).toBe(true);
    expect(await allowCertificate(`club${suffix}.example`)).toBe(false);
    await db.community.update({ where: { id: own.community.id }, data: { domainVerifiedAt: new Date() } });
    expect(await allowCertificate(`club${suffix}.example`)).toBe(true);
    expect(await allowCertificate(`g${suffix}.hearth.example`)).toBe(false);
    expect(await allowCertificate(`stranger${suffix}.example`)).toBe(false);
    expect(await allowCertificate("bad name!")).toBe(false);
    expect(await allowCertificate(null)).toBe(false);
  });
});
