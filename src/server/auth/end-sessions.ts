// Ends every session of a person at once (a password reset): sessions issued before the current
// second are refused from now on (see actorFromSession). JWT times have one-second resolution,
// so the boundary is the start of this second.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";

export async function endAllSessions(tx: Prisma.TransactionClient, userId: string, now = new Date()): Promise<void> {
  const second = new Date(Math.floor(now.getTime() / 1000) * 1000);
  await tx.user.update({ where: { id: userId }, data: { sessionsValidFrom: second } });
}

/** Whether a session issued at `iat` (seconds) is older than the person's last "end all sessions". */
export function sessionEnded(iat: unknown, validFrom: Date | null): boolean {
  if (!validFrom) return false;
  return typeof iat !== "number" || iat * 1000 < validFrom.getTime();
}
