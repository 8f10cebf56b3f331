// Unsubscribe links name a person and a topic, signed with a key derived from NEXTAUTH_SECRET:
// nothing is stored per link, and a link cannot be edited to turn off someone else's mail.
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/server/config/env";
import { TOPICS, type Topic } from "./templates";

function key(): Buffer {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set (npm start generates one; set it when running otherwise).");
  return createHmac("sha256", secret).update("hearth:unsubscribe:v1").digest();
}

const sign = (payload: string) => createHmac("sha256", key()).update(payload).digest("base64url").slice(0, 32);

export function unsubscribeToken(userId: string, topic: Topic): string {
  const payload = Buffer.from(`${userId}.${topic}`).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

/** The person and topic of a valid token, or null for anything edited, truncated or made up. */
export function readUnsubscribeToken(token: string): { userId: string; topic: Topic } | null {
  if (token.length > 300) return null;
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [userId, topic] = Buffer.from(payload, "base64url").toString("utf8").split(".");
  if (!userId || !topic || !Object.hasOwn(TOPICS, topic)) return null;
  return { userId, topic: topic as Topic };
}
