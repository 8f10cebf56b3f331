// The organiser's instance requests are checked by permission before anything happens:
// the owner sees the admin password once; members, outsiders and host admins do not.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
process.env.HEARTH_SECRET_KEY ??= randomBytes(32).toString("base64");
const { db } = await import("@/server/db/client");
const { seal } = await import("@/server/crypto/seal");
const { passwordContext } = await import("./admin-account");
const { retryInstanceAs, revealAdminCredentialsAs } = await import("./instance-requests");
const { addMember, makeCommunity, makeUser } = await import("@/server/testing/fixtures");

afterAll(() => db.$disconnect());

async function communityWithCredentials() {
  const owner = await makeUser();
  const community = await makeCommunity(owner);
  const instance = await db.instance.create({ data: { communityId: community.id, images: {} } });
  await db.instanceAdminCredential.create({
    data: {
      instanceId: instance.id,
      username: "owner",
      email: "owner@example.org",
      passwordSealed: seal("s3cret-password", passwordContext(instance.id)),
      confirmedAt: new Date(),
    },
  });
  return { owner, community, instance };
}

describe("instance requests from the dashboard", () => {
  it("shows the admin password to the owner once, then never again", async () => {
    const { owner, community, instance } = await communityWithCredentials();
    const first = await revealAdminCredentialsAs(owner, { community: community.slug });
    expect(first).toEqual({ username: "owner", email: "owner@example.org", password: "s3cret-password" });
    await expect(revealAdminCredentialsAs(owner, { community: community.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    const stored = await db.instanceAdminCredential.findUniqueOrThrow({
      where: { instanceId: instance.id },
      omit: { passwordSealed: false },
    });
    expect(stored.passwordSealed).toBeNull();
    expect(stored.shownAt).not.toBeNull();
  });

  it("refuses members, outsiders and host admins, and leaves the password in place", async () => {
    const { community, instance } = await communityWithCredentials();
    const member = await makeUser();
    await addMember(community.id, member, "MEMBER");
    const outsider = await makeUser();
    const hostAdmin = await makeUser({ isHostAdmin: true });
    await expect(revealAdminCredentialsAs(member, { community: community.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(revealAdminCredentialsAs(outsider, { community: community.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revealAdminCredentialsAs(hostAdmin, { community: community.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stored = await db.instanceAdminCredential.findUniqueOrThrow({
      where: { instanceId: instance.id },
      omit: { passwordSealed: false },
    });
    expect(stored.passwordSealed).not.toBeNull();
    expect(stored.shownAt).toBeNull();
  });

  it("lets only instance managers ask for a retry", async () => {
    const { owner, community, instance } = await communityWithCredentials();
    const run = await db.instanceRun.create({
      data: { instanceId: instance.id, seq: 1, kind: "PROVISION", state: "WAITING_RETRY", generation: 1, failures: 3, nextAttemptAt: new Date(Date.now() + 3600_000) },
    });
    const outsider = await makeUser();
    await expect(retryInstanceAs(outsider, { community: community.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.instanceRun.findUniqueOrThrow({ where: { id: run.id } })).failures).toBe(3);
    await retryInstanceAs(owner, { community: community.slug });
    const after = await db.instanceRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.failures).toBe(0);
    expect(after.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
