// Ends every session of a person at once, inside the caller's transaction (a password reset):
// each of their session rows is ended, so every cookie they had is nobody's from now on (see
// sessions.ts), and the time is kept on the account.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";

export async function endAllSessions(tx: Prisma.TransactionClient, userId: string, now = new Date()): Promise<void> {
  await tx.userSession.updateMany({ where: { userId, endedAt: null }, data: { endedAt: now, endedReason: "password-reset" } });
  await tx.user.update({ where: { id: userId }, data: { sessionsValidFrom: now } });
}
