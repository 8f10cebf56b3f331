// GET /dashboard/<slug>/exports/<file>: the community's owner downloads its archive; members,
// co-admins, host admins (who use /admin), other organisers and the signed out get the same 404
// as a file that does not exist, and so does any name that is not one of its archives. (The
// archive an export really writes is downloaded whole in src/server/exports/export-instance.docker.test.ts.)
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
process.env.HEARTH_EXPORTS_DIR = mkdtempSync(join(tmpdir(), "hearth-owner-download-"));

const download = (slug: string, file: string) => GET(new Request("http://hearth.test/"), { params: Promise.resolve({ slug, file }) });
const refused = async (response: Response, what: string) => {
  expect(response.status, what).toBe(404);
  expect(await response.text(), what).toBe("Not Found");
};

describe("GET /dashboard/<slug>/exports/<file>", () => {
  it("gives the owner the archive as an attachment", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    actAs(owner);
    const response = await download(community.slug, archive.name);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${archive.name}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(archive.content)).toBe(true);
  });

  it("is not found for members, co-admins, host admins, another organiser and the signed out", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    const member = await makeUser();
    await addMember(community.id, member, "MEMBER");
    const coAdmin = await makeUser();
    await addMember(community.id, coAdmin, "ADMIN");
    const otherOrganiser = await makeUser();
    const other = await makeCommunity(otherOrganiser);
    const hostAdmin = await makeUser({ isHostAdmin: true });
    for (const [who, actor] of [["member", member], ["co-admin", coAdmin], ["host admin", hostAdmin], ["other organiser", otherOrganiser], ["signed out", null]] as const) {
      actAs(actor);
      await refused(await download(community.slug, archive.name), who);
    }
    // Nor through the other organiser's own community.
    actAs(otherOrganiser);
    await refused(await download(other.slug, archive.name), "another community's folder");
  });

  it("refuses the owner names that are not archive names", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    actAs(owner);
    for (const name of notArchiveNames(community.id, archive.name)) await refused(await download(community.slug, name), JSON.stringify(name));
  });
});
