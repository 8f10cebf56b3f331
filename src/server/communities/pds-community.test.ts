// A Bluesky PDS community against the real database (issue 16): it can be started on a host
// whose base domain is public, and on a .localhost one it is refused at the software field (no
// handle could ever be created there); it is exported and restored like the others (the owner's
// buttons, a deletion's "export first"). The restore itself runs in pds.docker.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
// Read by env() when first asked: a base domain atproto accepts for handles.
process.env.HEARTH_BASE_DOMAIN = "hearth.example.org";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { db } from "@/server/db/client";
import { archiveName, communityExportsDir } from "@/server/exports/exports-dir";
import { requestExport } from "@/server/exports/request-export";
import { requestArchiveOperation } from "@/server/exports/request-restore";
import { actAs } from "@/server/testing/current-actor-mock";
import { makeUser, smallPlanId, unique } from "@/server/testing/fixtures";
import { createCommunity } from "./create-community";
import { deleteCommunity } from "./delete-community";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));

process.env.HEARTH_EXPORTS_DIR ??= mkdtempSync(join(tmpdir(), "hearth-pds-community-"));
vi.mock("@/server/communities/enabled-software", () => ({ enabledSoftware: () => ["MASTODON", "BLUESKY_PDS"] }));

afterAll(() => db.$disconnect());

const input = async (address: string) => ({
  name: "Sky Club",
  address,
  software: "BLUESKY_PDS" as const,
  planId: await smallPlanId(),
  description: "",
  rules: "",
});

describe("a Bluesky PDS community", () => {
  beforeEach(async () => actAs(await makeUser()));

  it("is started under a public base domain, its handles to be names below it", async () => {
    const owner = await makeUser();
    const address = unique("sky");
    const { id } = await createCommunity(owner, await input(address));
    expect(await db.community.findUniqueOrThrow({ where: { id } })).toMatchObject({
      software: "BLUESKY_PDS",
      domain: `${address}.hearth.example.org`,
      status: "AWAITING_FUNDING",
    });
  });

  it("is exported and restored like the others: both jobs are queued for the worker", async () => {
    const { owner, community } = await makeTenant({ software: "BLUESKY_PDS", instance: { phase: "RUNNING" } });
    await requestExport(owner, { community: community.slug });
    expect(await db.tenantOperation.findMany({ where: { communityId: community.id }, select: { kind: true } })).toEqual([{ kind: "EXPORT" }]);

    const other = await makeTenant({ software: "BLUESKY_PDS", instance: { phase: "RUNNING" } });
    const archive = archiveName(other.community.slug, new Date());
    mkdirSync(communityExportsDir(other.community.id), { recursive: true });
    writeFileSync(join(communityExportsDir(other.community.id), archive), "archive");
    await requestArchiveOperation(other.owner, { community: other.community.slug, archive }, "RESTORE");
    expect(await db.tenantOperation.findMany({ where: { communityId: other.community.id }, select: { kind: true, archive: true } })).toEqual([{ kind: "RESTORE", archive }]);
  });

  it("is exported first when its deletion asks for it, like the others", async () => {
    const pds = await makeTenant({ software: "BLUESKY_PDS", instance: { phase: "RUNNING" } });
    const outcome = await deleteCommunity(pds.owner, { community: pds.community.slug, confirm: pds.community.slug, exportFirst: true });
    expect(outcome).toMatchObject({ mode: "closed", exported: true });
    expect(await db.instance.findUniqueOrThrow({ where: { communityId: pds.community.id } })).toMatchObject({ desiredState: "DELETED", exportFirst: true });

    const mastodon = await makeTenant({ software: "MASTODON", instance: { phase: "RUNNING" } });
    const exported = await deleteCommunity(mastodon.owner, { community: mastodon.community.slug, confirm: mastodon.community.slug, exportFirst: true });
    expect(exported).toMatchObject({ mode: "closed", exported: true });
  });
});
