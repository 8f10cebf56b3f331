import "server-only";
import { db } from "@/server/db/client";

export async function getEmailSettings(userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true, passwordHash: true } });
  return { email: user.email, verified: user.emailVerified !== null, hasPassword: user.passwordHash !== null };
}
