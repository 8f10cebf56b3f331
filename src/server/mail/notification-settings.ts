// Which notices a person gets: every topic is on until they turn it off (settings page, or the
// unsubscribe link in the mail). Account mail, invitations, payment problems and exports they
// asked for are not topics: they cannot be turned off.
import "server-only";
import { z } from "zod";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { TOPICS, type Topic } from "./templates";
import { readUnsubscribeToken } from "./unsubscribe-token";

const topicNames = Object.keys(TOPICS) as Topic[];

export async function getNotificationSettings(userId: string): Promise<{ topic: Topic; label: string; on: boolean }[]> {
  const off = new Set((await db.emailOptOut.findMany({ where: { userId }, select: { topic: true } })).map((o) => o.topic));
  return topicNames.map((topic) => ({ topic, label: TOPICS[topic], on: !off.has(topic) }));
}

const checkbox = z.string().optional().transform((v) => v === "on");
export const notificationSettingsSchema = z.object(Object.fromEntries(topicNames.map((t) => [t, checkbox])) as Record<Topic, typeof checkbox>);

export async function saveNotificationSettings(userId: string, wanted: Record<Topic, boolean>): Promise<void> {
  await db.$transaction(async (tx) => {
    const off = topicNames.filter((t) => !wanted[t]);
    await tx.emailOptOut.deleteMany({ where: { userId, topic: { notIn: off } } });
    await tx.emailOptOut.createMany({ data: off.map((topic) => ({ userId, topic })), skipDuplicates: true });
  });
}

/** What an unsubscribe link turns off, for its confirmation page; null when the link is not valid. */
export async function describeUnsubscribe(token: string): Promise<{ topic: Topic; label: string; email: string } | null> {
  const read = readUnsubscribeToken(token);
  if (!read) return null;
  const user = await db.user.findUnique({ where: { id: read.userId }, select: { email: true } });
  return user ? { topic: read.topic, label: TOPICS[read.topic], email: user.email } : null;
}

/** Turns a topic off from a mail's link (the page's button, or a mail client's one-click POST). */
export async function unsubscribe(token: string): Promise<{ label: string }> {
  const read = readUnsubscribeToken(token);
  if (!read) throw new AppError("NOT_FOUND", "This link is not valid. Change your notices under Settings instead.");
  const user = await db.user.findUnique({ where: { id: read.userId }, select: { id: true } });
  if (!user) throw new AppError("NOT_FOUND", "This account no longer exists.");
  await db.emailOptOut.createMany({ data: [{ userId: read.userId, topic: read.topic }], skipDuplicates: true });
  return { label: TOPICS[read.topic] };
}
