// The owner's "Export now": who may ask, and when an export is refused. The export itself
// (the worker running the job) is tested with Docker in export-instance.docker.test.ts.
import { describe, expect, it } from "vitest";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { db } from "@/server/db/client";
import { addMember, makeUser } from "@/server/testing/fixtures";
import { OWNER_EXPORTS_PER_DAY, latestExport, requestExport } from "./request-export";

const exportJobs = (communityId: string) => db.tenantOperation.findMany({ where: { communityId, kind: "EXPORT" } });

describe("requestExport", () => {
  it("queues an export job for the owner, audited, and refuses a second one while it waits", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const { operationId } = await requestExport(owner, { community: community.slug });
    const jobs = await exportJobs(community.id);
    expect(jobs).toMatchObject([{ id: operationId, state: "QUEUED", requestedById: owner.id }]);
    expect(await db.auditEvent.count({ where: { communityId: community.id, action: "community.export-requested", actorId: owner.id } })).toBe(1);
    expect(await latestExport(community.id)).toMatchObject({ state: "QUEUED" });

    await expect(requestExport(owner, { community: community.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await exportJobs(community.id)).toHaveLength(1);
  });

  it("refuses members, admins of the community, other owners and host admins alike, changing nothing", async () => {
    const { community } = await makeTenant({ instance: { phase: "RUNNING" } });
    const member = await makeUser();
    const communityAdmin = await makeUser();
    await addMember(community.id, member, "MEMBER");
    await addMember(community.id, communityAdmin, "ADMIN");
    const otherOwner = (await makeTenant()).owner;
    const hostAdmin = await makeUser({ isHostAdmin: true });
    for (const actor of [member, communityAdmin, otherOwner, hostAdmin]) {
      await expect(requestExport(actor, { community: community.slug })).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/) });
    }
    expect(await exportJobs(community.id)).toHaveLength(0);
  });

  it("refuses a community without a server, and one whose server is being set up", async () => {
    const unfunded = await makeTenant();
    await expect(requestExport(unfunded.owner, { community: unfunded.community.slug })).rejects.toThrow(/no server to export yet/);
    const busy = await makeTenant({ instance: { phase: "PROVISIONING", busy: true } });
    await expect(requestExport(busy.owner, { community: busy.community.slug })).rejects.toThrow(/being set up or changed/);
    expect([...(await exportJobs(unfunded.community.id)), ...(await exportJobs(busy.community.id))]).toHaveLength(0);
  });

  it(`allows ${OWNER_EXPORTS_PER_DAY} exports a day`, async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "STOPPED", desiredState: "STOPPED" } });
    for (let i = 0; i < OWNER_EXPORTS_PER_DAY; i++) {
      await requestExport(owner, { community: community.slug });
      await db.tenantOperation.updateMany({ where: { communityId: community.id, state: "QUEUED" }, data: { state: "SUCCEEDED" } });
    }
    await expect(requestExport(owner, { community: community.slug })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // A day later the oldest no longer counts.
    const tomorrow = new Date(Date.now() + 24 * 60 * 60_000 + 1_000);
    await expect(requestExport(owner, { community: community.slug }, tomorrow)).resolves.toMatchObject({ operationId: expect.any(String) });
    expect(await exportJobs(community.id)).toHaveLength(OWNER_EXPORTS_PER_DAY + 1);
  });
});
