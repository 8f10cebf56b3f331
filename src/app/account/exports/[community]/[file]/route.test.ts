// GET /account/exports/<community id>/<file> and the list on /dashboard: after deleting a
// community with "export first", its former owner takes the archive from their own account
// (before, they had to ask the host). Nobody else can (co-admins, host admins, other people, the
// signed out: the same 404 as a missing file), no name but an archive's is served, and a
// community that is not deleted is reached through its dashboard only.
import { mkdtempSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { deleteCommunity } from "@/server/communities/delete-community";
import { db } from "@/server/db/client";
import { deletedCommunityExports } from "@/server/exports/download-export";
import { communityExportsDir } from "@/server/exports/exports-dir";
import { archiveOf, notArchiveNames } from "@/server/exports/testing/archives";
import { actAs } from "@/server/testing/current-actor-mock";
import { addMember, makeUser } from "@/server/testing/fixtures";
import { GET } from "./route";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
process.env.HEARTH_EXPORTS_DIR = mkdtempSync(join(tmpdir(), "hearth-deleted-download-"));

const download = (community: string, file: string) => GET(new Request("http://hearth.test/"), { params: Promise.resolve({ community, file }) });
const refused = async (response: Response, what: string) => {
  expect(response.status, what).toBe(404);
  expect(await response.text(), what).toBe("Not Found");
};

/** A live community with an earlier export; the tests delete it, and write the worker's export by hand. */
async function deletedWithExport() {
  const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
  const archive = archiveOf(community.id, community.slug);
  // Made a minute before the deletion (an earlier export).
  const before = new Date(Date.now() - 60_000);
  utimesSync(join(communityExportsDir(community.id), archive.name), before, before);
  return { owner, community, archive };
}

describe("a deleted community's archives for its former owner", () => {
  it("are listed, first as being made, and downloaded as attachments once the community is deleted", async () => {
    const { owner, community, archive } = await deletedWithExport();
    actAs(owner);
    // Not deleted yet: the dashboard serves it, this route and the list do not.
    await refused(await download(community.id, archive.name), "a community that is not deleted");
    expect(await deletedCommunityExports(owner)).toEqual([]);

    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: true });
    // Only the archive from before: the export made for the deletion is still being written.
    const [listed] = await deletedCommunityExports(owner);
    expect(listed).toMatchObject({ id: community.id, name: community.name, exporting: true, tearingDown: true, archives: [{ name: archive.name, size: archive.content.length }] });
    // The export is written, the server is still being taken down.
    const final = archiveOf(community.id, community.slug, undefined, new Date(Date.now() + 1000));
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ exporting: false, tearingDown: true, archives: [{ name: final.name }, { name: archive.name }] });
    // The teardown finished.
    await db.instance.update({ where: { communityId: community.id }, data: { phase: "DELETED" } });
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ exporting: false, tearingDown: false, removalFailed: false });

    const response = await download(community.id, archive.name);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${archive.name}"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await response.arrayBuffer()).equals(archive.content)).toBe(true);
  });

  it("say so when the export before deletion failed (nothing is removed until it succeeds)", async () => {
    const { owner, community } = await deletedWithExport();
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: true });
    await db.instance.update({ where: { communityId: community.id }, data: { phase: "ERROR" } });
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ exporting: true, removalFailed: true, tearingDown: true });
  });

  it("are not found for co-admins, host admins, other people and the signed out, and under another community's id", async () => {
    const { owner, community, archive } = await deletedWithExport();
    const coAdmin = await makeUser();
    await addMember(community.id, coAdmin, "ADMIN");
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: true });
    const other = await deletedWithExport();
    await deleteCommunity(other.owner, { community: other.community.slug, confirm: other.community.slug, exportFirst: true });
    const hostAdmin = await makeUser({ isHostAdmin: true });
    for (const [who, actor] of [["co-admin", coAdmin], ["host admin", hostAdmin], ["another former owner", other.owner], ["someone", await makeUser()], ["signed out", null]] as const) {
      actAs(actor);
      await refused(await download(community.id, archive.name), who);
      if (actor) expect((await deletedCommunityExports(actor)).map((c) => c.id), who).not.toContain(community.id);
    }
    // Its own archive's name under the other community's id: that folder is looked in, not this one.
    actAs(other.owner);
    await refused(await download(other.community.id, archive.name), "another community's folder");
  });

  it("refuses names that are not archive names, and ids that are not communities", async () => {
    const { owner, community, archive } = await deletedWithExport();
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: false });
    actAs(owner);
    for (const name of notArchiveNames(community.id, archive.name)) await refused(await download(community.id, name), JSON.stringify(name));
    for (const id of ["../etc", "", `${community.id}x`]) await refused(await download(id, archive.name), JSON.stringify(id));
    // Deleted without an export being made: the archive written earlier is still listed and served.
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ exporting: false, archives: [{ name: archive.name }] });
  });
});
