import "server-only";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import { consume, hashedKey, minutesText, reset } from "@/server/rate-limit/rate-limit";
import { publicUrl } from "@/server/site/public-url";
import { REAUTH_PER_ACCOUNT } from "./limits";
import { hashPassword, verifyPassword } from "./password";
import type { Actor } from "./permissions";
import type { ChangePasswordInput } from "./schemas";

/**
 * Changes the password of the signed-in person: the current one must be right (limited per
 * account, with a growing delay). Every other session of theirs ends, and an email telling
 * them of the change is queued in the outbox (a thief who changed it is found out).
 */
export async function changePassword(actor: Actor, input: ChangePasswordInput, now = new Date()): Promise<{ endedSessions: number }> {
  const key = hashedKey(`password:${actor.id}`);
  const allowed = await consume(REAUTH_PER_ACCOUNT, key);
  if (!allowed.allowed) throw new AppError("RATE_LIMITED", `Too many wrong passwords. Try again in ${minutesText(allowed.retryAfterSeconds)}.`);
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { email: true, passwordHash: true } });
  if (!user) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  if (!user.passwordHash) {
    throw new AppError("CONFLICT", "Your account signs in through another service and has no password here.");
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("UNPROCESSABLE", "Your current password is wrong.", { currentPassword: "Your current password is wrong." });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const endedSessions = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash } });
    const { count } = await tx.userSession.updateMany({
      where: { userId: actor.id, endedAt: null, ...(actor.sessionId ? { NOT: { id: actor.sessionId } } : {}) },
      data: { endedAt: now, endedReason: "password-changed" },
    });
    await tx.emailOutbox.create({
      data: {
        toEmail: user.email,
        toUserId: actor.id,
        kind: "account.password_changed",
        subject: "Your Hearth password was changed",
        body: `The password of your Hearth account ${user.email} was changed on ${now.toUTCString()}, and every other session was signed out.\n\nIf this was not you, reset your password at once and tell your host: ${publicUrl("/sign-in")}`,
        dedupeKey: `password-changed:${actor.id}:${now.getTime()}`,
      },
    });
    await recordAudit(tx, { actorId: actor.id, action: "user.password_changed", data: { endedSessions: count } });
    return count;
  });
  await reset(REAUTH_PER_ACCOUNT, key);
  return { endedSessions };
}
