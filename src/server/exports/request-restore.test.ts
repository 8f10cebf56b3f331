// The owner's Restore and Verify buttons: who may ask, for which archive, and when a restore is
// refused. The restore itself (the worker running the job) is tested with Docker in
// restore-instance.docker.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { db } from "@/server/db/client";
import { addMember, makeUser } from "@/server/testing/fixtures";
import { archiveName, communityExportsDir } from "./exports-dir";
import { latestArchiveOperation, requestArchiveOperation } from "./request-restore";
import { scheduleVerifications } from "./schedule-verifications";

process.env.HEARTH_EXPORTS_DIR ??= mkdtempSync(join(tmpdir(), "hearth-request-restore-"));
const jobs = (communityId: string) => db.tenantOperation.findMany({ where: { communityId, kind: { in: ["RESTORE", "VERIFY"] } } });

/** An archive file of the community (content does not matter to the request). */
function archiveOf(communityId: string, slug: string, at = new Date()): string {
  const name = archiveName(slug, at);
  mkdirSync(communityExportsDir(communityId), { recursive: true });
  writeFileSync(join(communityExportsDir(communityId), name), "archive");
  return name;
}

describe("requestArchiveOperation", () => {
  it("queues a restore for the owner, audited; a second one, or a verification meanwhile, is refused", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    const { operationId } = await requestArchiveOperation(owner, { community: community.slug, archive }, "RESTORE");
    expect(await jobs(community.id)).toMatchObject([{ id: operationId, kind: "RESTORE", archive, state: "QUEUED", requestedById: owner.id }]);
    expect(await db.auditEvent.count({ where: { communityId: community.id, action: "community.restore-requested", actorId: owner.id } })).toBe(1);
    expect(await latestArchiveOperation(community.id)).toEqual({ text: `Restore of ${archive}: waiting to start.`, failed: false, open: true });
    await expect(requestArchiveOperation(owner, { community: community.slug, archive }, "RESTORE")).rejects.toThrow("A restore is already waiting or running.");
    await expect(requestArchiveOperation(owner, { community: community.slug, archive }, "VERIFY")).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await jobs(community.id)).toHaveLength(1);
  });

  it("refuses members, community admins, other owners and host admins (who restore from /admin)", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const archive = archiveOf(community.id, community.slug);
    const member = await makeUser();
    const communityAdmin = await makeUser();
    await addMember(community.id, member, "MEMBER");
    await addMember(community.id, communityAdmin, "ADMIN");
    const otherOwner = (await makeTenant()).owner;
    const hostAdmin = await makeUser({ isHostAdmin: true });
    for (const actor of [member, communityAdmin, otherOwner, hostAdmin]) {
      for (const kind of ["RESTORE", "VERIFY"] as const) {
        await expect(requestArchiveOperation(actor, { community: community.slug, archive }, kind)).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/) });
      }
    }
    expect(await jobs(community.id)).toHaveLength(0);
  });

  it("refuses an archive that is not the community's, and a restore of a server that is not running", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const other = await makeTenant({ instance: { phase: "RUNNING" } });
    const theirs = archiveOf(other.community.id, other.community.slug);
    await expect(requestArchiveOperation(owner, { community: community.slug, archive: theirs }, "RESTORE")).rejects.toThrow("That archive is not one of this community's exports.");
    const stopped = await makeTenant({ instance: { phase: "STOPPED", desiredState: "STOPPED" } });
    const archive = archiveOf(stopped.community.id, stopped.community.slug);
    await expect(requestArchiveOperation(stopped.owner, { community: stopped.community.slug, archive }, "RESTORE")).rejects.toThrow(/Only a running server can be restored/);
    // A verification only needs the database: it is accepted.
    await expect(requestArchiveOperation(stopped.owner, { community: stopped.community.slug, archive }, "VERIFY")).resolves.toMatchObject({ operationId: expect.any(String) });
    expect(await jobs(community.id)).toHaveLength(0);
  });
});

describe("weekly verification", () => {
  it("queues the newest archive of a running instance once, and not again while it waits", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    archiveOf(community.id, community.slug, new Date(Date.now() - 3_600_000));
    const newest = archiveOf(community.id, community.slug);
    // Newest by file time: make the second file the newer one for certain.
    const { utimesSync } = await import("node:fs");
    utimesSync(join(communityExportsDir(community.id), newest), new Date(), new Date(Date.now() + 60_000));
    expect(await scheduleVerifications()).toContain(newest);
    expect(await jobs(community.id)).toMatchObject([{ kind: "VERIFY", archive: newest, state: "QUEUED" }]);
    expect(await scheduleVerifications()).not.toContain(newest);
    expect(await jobs(community.id)).toHaveLength(1);
  });
});
