// Load alerts by mail (to the community's admins, at most one per kind every 6 hours) and the
// notices a person can turn off, by the settings page or a mail's signed unsubscribe link.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { addMember, makeCommunity, makeUser } from "@/server/testing/fixtures";
import { getNotificationSettings, saveNotificationSettings, unsubscribe } from "./notification-settings";
import { ALERT_MAIL_WINDOW_MS, queueAlertMails } from "./queue-alert-mails";
import { readUnsubscribeToken, unsubscribeToken } from "./unsubscribe-token";

afterAll(() => db.$disconnect());

async function community() {
  const owner = await makeUser();
  const c = await makeCommunity(owner);
  const admin = await makeUser();
  const member = await makeUser();
  await addMember(c.id, admin, "ADMIN");
  await addMember(c.id, member, "MEMBER");
  return { c, owner, admin, member };
}

const alertMail = (communityId: string) => db.emailOutbox.findMany({ where: { communityId, kind: { startsWith: "alert." } }, orderBy: { createdAt: "asc" } });

describe("alert mail", () => {
  it("mails the owner and admins (not members) once per kind within 6 hours, however often the alert reopens", async () => {
    const { c, owner, admin } = await community();
    const t0 = new Date();
    await db.alert.create({ data: { communityId: c.id, kind: "DOWN", message: "Test Town is down: no container runs.", openedAt: t0 } });
    await queueAlertMails(t0);
    const first = await alertMail(c.id);
    expect(first.map((m) => m.toUserId).sort()).toEqual([owner.id, admin.id].sort());
    expect(first[0]).toMatchObject({ kind: "alert.down", subject: "Test Town is down" });

    // Flapping: closed and opened again an hour later, then heavy load: one more mail (another kind).
    await db.alert.updateMany({ where: { communityId: c.id }, data: { closedAt: t0 } });
    const t1 = new Date(t0.getTime() + 3600_000);
    await db.alert.create({ data: { communityId: c.id, kind: "DOWN", message: "down again", openedAt: t1 } });
    await db.alert.create({ data: { communityId: c.id, kind: "HEAVY_LOAD", message: "busy", openedAt: t1 } });
    await queueAlertMails(t1);
    expect((await alertMail(c.id)).map((m) => m.kind).sort()).toEqual(["alert.down", "alert.down", "alert.heavy_load", "alert.heavy_load"]);
    expect(await db.alert.count({ where: { communityId: c.id, mailedAt: null } })).toBe(0);
  });

  it("mails the same kind again once 6 hours have passed, and never an alert that closed before it was seen", async () => {
    const { c } = await community();
    const t0 = new Date();
    await db.alert.create({ data: { communityId: c.id, kind: "DOWN", message: "down", openedAt: t0 } });
    await queueAlertMails(t0);
    await db.alert.create({ data: { communityId: c.id, kind: "HEAVY_LOAD", message: "brief", openedAt: t0, closedAt: t0 } });
    await db.emailOutbox.updateMany({ where: { communityId: c.id }, data: { createdAt: new Date(t0.getTime() - ALERT_MAIL_WINDOW_MS - 1000) } });
    const later = new Date();
    await db.alert.create({ data: { communityId: c.id, kind: "DOWN", message: "down later", openedAt: later } });
    await queueAlertMails(later);
    const mails = await alertMail(c.id);
    expect(mails.map((m) => m.kind)).toEqual(["alert.down", "alert.down", "alert.down", "alert.down"]);
  });
});

describe("notices a person can turn off", () => {
  it("saves the settings page's choices", async () => {
    const person = await makeUser();
    await saveNotificationSettings(person.id, { funding: false, alerts: true });
    expect(await getNotificationSettings(person.id)).toEqual([
      expect.objectContaining({ topic: "funding", on: false }),
      expect.objectContaining({ topic: "alerts", on: true }),
    ]);
    await saveNotificationSettings(person.id, { funding: true, alerts: true });
    expect((await getNotificationSettings(person.id)).every((t) => t.on)).toBe(true);
  });

  it("turns a topic off from a signed link; an edited link is refused", async () => {
    const person = await makeUser();
    const token = unsubscribeToken(person.id, "alerts");
    expect(readUnsubscribeToken(token)).toEqual({ userId: person.id, topic: "alerts" });
    const other = await makeUser();
    const forged = `${Buffer.from(`${other.id}.alerts`).toString("base64url")}.${token.split(".")[1]}`;
    expect(readUnsubscribeToken(forged)).toBeNull();
    await expect(unsubscribe(forged)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await unsubscribe(token);
    await unsubscribe(token); // a second click changes nothing
    expect(await db.emailOptOut.findMany({ where: { userId: { in: [person.id, other.id] } } })).toEqual([
      expect.objectContaining({ userId: person.id, topic: "alerts" }),
    ]);
  });
});
