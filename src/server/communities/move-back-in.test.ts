// Bringing a deleted community back, against the real database: its address and domain stay
// refused to everyone else and to a new, empty server, with a sentence that says why; its former
// owner, who deleted it (not after a host admin's deletion), takes them back by starting a
// community that moves in from its export, once its old server is gone. The deleted community keeps its id, archives and history under names no
// address or domain can have, and the start form is filled in from it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTenant } from "@/server/admin/testing/fixtures";
import { deleteTenant } from "@/server/admin/tenants/delete-tenant";
import { getTenant } from "@/server/admin/tenants/get-tenant";
import { idleState } from "@/server/actions/action-state";
import { createCommunityAction } from "@/server/communities/actions";
import { db } from "@/server/db/client";
import { deletedCommunityExports } from "@/server/exports/download-export";
import { archiveOf } from "@/server/exports/testing/archives";
import { actAs } from "@/server/testing/current-actor-mock";
import { form, makeUser } from "@/server/testing/fixtures";
import { redirectOf } from "@/server/testing/redirects";
import { deleteCommunity } from "./delete-community";
import { moveBackInValues } from "./move-back-in";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
vi.mock("@/server/communities/enabled-software", () => ({ enabledSoftware: () => ["MASTODON", "MISSKEY", "SHARKEY"] }));
process.env.HEARTH_EXPORTS_DIR = mkdtempSync(join(tmpdir(), "hearth-move-back-in-"));

/** A live community deleted by its owner with "export first"; its old server still being taken down. */
async function deleted(options: { ownDomain?: string } = {}) {
  const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
  if (options.ownDomain) await db.community.update({ where: { id: community.id }, data: { domain: options.ownDomain, domainOwn: true } });
  archiveOf(community.id, community.slug);
  await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: true });
  const row = await db.community.findUniqueOrThrow({ where: { id: community.id } });
  return { owner, community: row, gone: () => db.instance.update({ where: { communityId: community.id }, data: { phase: "DELETED" } }) };
}

const fields = (state: { fields?: Record<string, string> }) => state.fields ?? {};

describe("a deleted community's address and domain", () => {
  it("are taken back only by its former owner, moving its export in once the old server is gone", async () => {
    const { owner, community, gone } = await deleted();
    expect(await moveBackInValues(owner, community.id)).toBeNull(); // its old server is still being removed
    await gone();
    const values = (await moveBackInValues(owner, community.id))!.values;
    expect(values).toMatchObject({ name: community.name, address: community.slug, domainKind: "base", ownDomain: "", software: "MASTODON", planId: community.planId, start: "move-in" });
    await db.instance.update({ where: { communityId: community.id }, data: { phase: "DELETING" } });
    const count = () => db.community.count();
    const before = await count();

    // Someone else, even moving in: refused, and told why.
    actAs(await makeUser());
    expect(fields(await createCommunityAction(idleState, form(values))).address).toMatch(/belonged to a community that was deleted.*not given out again/);
    // The former owner with a new, empty server: told how to bring it back instead.
    actAs(owner);
    expect(fields(await createCommunityAction(idleState, form({ ...values, start: "empty" }))).address).toMatch(
      new RegExp(`belonged to your community “${community.name}”.*choose “Move in from an export”`),
    );
    // Moving in while the old server is still being taken down: later.
    expect(fields(await createCommunityAction(idleState, form(values))).address).toMatch(/old server is still being removed/);
    expect(await count()).toBe(before);
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ id: community.id, canMoveBackIn: true });

    await gone();
    expect(await redirectOf(createCommunityAction(idleState, form(values)))).toBe(`/dashboard/${community.slug}?created=1`);
    const back = await db.community.findUniqueOrThrow({ where: { slug: community.slug }, include: { moveIn: true } });
    expect(back.id).not.toBe(community.id);
    expect(back).toMatchObject({ domain: community.domain, domainOwn: false, ownerId: owner.id, status: "AWAITING_FUNDING", software: "MASTODON" });
    expect(back.moveIn).not.toBeNull();
    // The deleted one keeps its id, archives and history under names no community can have.
    const old = await db.community.findUniqueOrThrow({ where: { id: community.id } });
    expect(old.slug).toBe(`${community.slug}.deleted-${community.id}`);
    expect(old.domain).toBe(`${community.id}.deleted.invalid`);
    expect(old.deletedAt).not.toBeNull();
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ id: community.id, canMoveBackIn: false, archives: [expect.anything()] });
    expect(await moveBackInValues(owner, community.id)).toBeNull();
    const created = await db.auditEvent.findFirstOrThrow({ where: { communityId: back.id, action: "community.created" } });
    expect(created.data).toMatchObject({ start: "move-in", takesBackFrom: community.id });
    const takenBack = await db.auditEvent.findFirstOrThrow({ where: { communityId: community.id, action: "community.name_taken_back" } });
    expect(takenBack.data).toMatchObject({ by: back.id, slug: community.slug, domain: community.domain });
    // The host admin's page of the deleted tenant names the community that took its names.
    const tenant = await getTenant(await makeUser({ isHostAdmin: true }), community.id);
    expect(tenant?.takenBack).toEqual({ by: { id: back.id, name: back.name }, slug: community.slug, domain: community.domain });
    expect((await getTenant(await makeUser({ isHostAdmin: true }), back.id))?.takenBack).toBeNull();
  });

  it("own domains alike: the former owner moves back in under it, nobody else gets it", async () => {
    const domain = `back-${Date.now().toString(36)}.example.org`;
    const { owner, community, gone } = await deleted({ ownDomain: domain });
    await gone();
    const values = (await moveBackInValues(owner, community.id))!.values;
    expect(values).toMatchObject({ domainKind: "own", ownDomain: domain, address: community.slug });
    actAs(await makeUser());
    const stranger = fields(await createCommunityAction(idleState, form({ ...values, address: `${community.slug}-x` })));
    expect(stranger.ownDomain).toMatch(/belonged to a community deleted from this host/);
    actAs(owner);
    await redirectOf(createCommunityAction(idleState, form(values)));
    expect(await db.community.findUniqueOrThrow({ where: { domain } })).toMatchObject({ slug: community.slug, domainOwn: true, deletedAt: null });
  });

  it("stay refused to the owner after a host admin's deletion, whose archive the owner still downloads", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" } });
    archiveOf(community.id, community.slug);
    const admin = await makeUser({ isHostAdmin: true });
    await deleteTenant({ actor: admin, origin: { ip: "203.0.113.5", userAgent: "test" } }, { communityId: community.id, revision: 0, confirm: community.slug, exportFirst: true });
    await db.instance.update({ where: { communityId: community.id }, data: { phase: "DELETED" } });
    expect(await moveBackInValues(owner, community.id)).toBeNull();
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ id: community.id, canMoveBackIn: false, archives: [expect.anything()] });
    actAs(owner);
    const values = { name: community.name, address: community.slug, software: "MASTODON", planId: community.planId, start: "move-in", description: "", rules: "" };
    expect(fields(await createCommunityAction(idleState, form(values))).address).toMatch(/belonged to a community that was deleted.*not given out again/);
  });

  it("stay refused when the host had suspended it: moving it back in would lift the suspension", async () => {
    const { owner, community } = await makeTenant({ instance: { phase: "RUNNING" }, adminSuspended: true });
    archiveOf(community.id, community.slug);
    await deleteCommunity(owner, { community: community.slug, confirm: community.slug, exportFirst: false });
    await db.instance.update({ where: { communityId: community.id }, data: { phase: "DELETED" } });
    expect(await moveBackInValues(owner, community.id)).toBeNull();
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ id: community.id, canMoveBackIn: false });
    actAs(owner);
    const values = { name: community.name, address: community.slug, software: "MASTODON", planId: community.planId, start: "move-in", description: "", rules: "" };
    expect(fields(await createCommunityAction(idleState, form(values))).address).toMatch(/belonged to a community that was deleted/);
  });

  it("go back together or not at all: an address without its domain, or a domain without its address, is refused and nothing is freed", async () => {
    const domain = `both-${Date.now().toString(36)}.example.org`;
    const { owner, community, gone } = await deleted({ ownDomain: domain });
    await gone();
    const values = (await moveBackInValues(owner, community.id))!.values;
    actAs(owner);
    // The address, on the host's subdomain instead of its own domain.
    const addressOnly = fields(await createCommunityAction(idleState, form({ ...values, domainKind: "base", ownDomain: "" })));
    expect(addressOnly.address).toBe(`To bring “${community.name}” back, keep both its address “${community.slug}” and its domain ${domain}: a server keeps its names when it moves back in.`);
    // The domain, under another address.
    const domainOnly = fields(await createCommunityAction(idleState, form({ ...values, address: `${community.slug}-2` })));
    expect(domainOnly.address).toMatch(/keep both its address/);
    expect(await db.community.findUniqueOrThrow({ where: { id: community.id } })).toMatchObject({ slug: community.slug, domain });
    // Nobody else got the domain meanwhile.
    actAs(await makeUser());
    expect(fields(await createCommunityAction(idleState, form({ ...values, address: `${community.slug}-3`, start: "empty" }))).ownDomain).toMatch(/belonged to a community deleted/);
  });

  it("are not offered while its old server is still being removed", async () => {
    const { owner, community } = await deleted();
    expect(await moveBackInValues(owner, community.id)).toBeNull();
    expect((await deletedCommunityExports(owner))[0]).toMatchObject({ canMoveBackIn: true, tearingDown: true });
  });

  it("are not offered for anyone else's deleted community", async () => {
    const { community } = await deleted();
    expect(await moveBackInValues(await makeUser(), community.id)).toBeNull();
    expect(await moveBackInValues(await makeUser(), "not-an-id")).toBeNull();
  });
});
