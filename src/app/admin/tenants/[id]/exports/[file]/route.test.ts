// GET /admin/tenants/<id>/exports/<file>: the host admin downloads a tenant's archive; anyone
// else, a name that is not an archive name, or another tenant's id gets the same 404 as a
// file that does not exist. (The archive an export really writes is downloaded whole in
// src/server/exports/export-instance.docker.test.ts.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { archiveOf, notArchiveNames } from "@/server/exports/testing/archives";
import { actAs } from "@/server/testing/current-actor-mock";
import { addMember, makeCommunity, makeUser } from "@/server/testing/fixtures";
import { GET } from "./route";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
process.env.HEARTH_EXPORTS_DIR = mkdtempSync(join(tmpdir(), "hearth-admin-download-"));

const download = (tenantId: string, file: string) => GET(new Request("http://hearth.test/"), { params: Promise.resolve({ id: tenantId, file }) });
const refused = async (response: Response, what: string) => {
  expect(response.status, what).toBe(404);
  expect(await response.text(), what).toBe("Not Found");
};

describe("GET /admin/tenants/<id>/exports/<file>", () => {
  it("gives the host admin the archive as an attachment", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    actAs(await makeUser({ isHostAdmin: true }));
    const response = await download(community.id, archive.name);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${archive.name}"`);
    expect(response.headers.get("content-type")).toBe("application/gzip");
    expect(Buffer.from(await response.arrayBuffer()).equals(archive.content)).toBe(true);
  });

  it("is not found for the community's owner, members and co-admins, another organiser, and the signed out", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    const member = await makeUser();
    await addMember(community.id, member, "MEMBER");
    const coAdmin = await makeUser();
    await addMember(community.id, coAdmin, "ADMIN");
    const otherOrganiser = await makeUser();
    await makeCommunity(otherOrganiser);
    for (const [who, actor] of [["owner", owner], ["member", member], ["co-admin", coAdmin], ["other organiser", otherOrganiser], ["signed out", null]] as const) {
      actAs(actor);
      await refused(await download(community.id, archive.name), who);
    }
  });

  it("refuses, even to the admin, names that are not archive names and archives under another tenant's id", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const other = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    actAs(await makeUser({ isHostAdmin: true }));
    for (const name of notArchiveNames(community.id, archive.name)) await refused(await download(community.id, name), JSON.stringify(name));
    await refused(await download(other.community.id, archive.name), "another tenant's id");
    await refused(await download("../x", archive.name), "a bad tenant id");
  });
});
