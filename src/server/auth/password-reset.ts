// "Forgot your password": a link by mail that works once, for an hour. Asking gives the same
// answer whether or not an account has that address; requests are limited per address asked
// for (silently: the answer stays the same) and per client address. Using the link sets the new
// password, ends every session of the account and confirms the address (the link proved it).
import "server-only";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { queueEmail } from "@/server/mail/queue-email";
import { consume, hashedKey, minutesText, reset, type Limit } from "@/server/rate-limit/rate-limit";
import { publicUrl } from "@/server/site/public-url";
import { recordAudit } from "@/server/audit/record-audit";
import { createEmailToken, useEmailToken } from "./email-tokens";
import { endAllSessions } from "./end-sessions";
import { SIGN_IN_PER_ACCOUNT } from "./limits";
import { hashPassword } from "./password";

/** Reset mails per address asked for: a few an hour, so nobody's inbox can be flooded. */
export const RESET_PER_EMAIL: Limit = { bucket: "password-reset:email", max: 3, windowSeconds: 60 * 60 };
/** Reset requests per client address, across all addresses. */
export const RESET_PER_CLIENT: Limit = { bucket: "password-reset:address", max: 20, windowSeconds: 60 * 60 };

export const RESET_REQUESTED =
  "If an account uses that address, a link to choose a new password is on its way. It works for one hour.";

export async function requestPasswordReset(email: string, context: { address: string }): Promise<string> {
  const byClient = await consume(RESET_PER_CLIENT, context.address);
  if (!byClient.allowed) {
    throw new AppError("RATE_LIMITED", `Too many reset requests from your network. Try again in ${minutesText(byClient.retryAfterSeconds)}.`);
  }
  // Counted whether or not the account exists, and never told: the answer is the same.
  const byEmail = await consume(RESET_PER_EMAIL, hashedKey(email));
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (user && byEmail.allowed) {
    await db.$transaction(async (tx) => {
      const token = await createEmailToken(tx, { userId: user.id, purpose: "RESET_PASSWORD", email: user.email });
      await queueEmail(tx, {
        kind: "account.password_reset",
        toEmail: user.email,
        toUserId: user.id,
        data: {},
        secrets: { url: publicUrl(`/reset-password/${token}`) },
        dedupeKey: `reset:${user.id}:${token.slice(0, 12)}`,
      });
      await recordAudit(tx, { actorId: user.id, action: "user.password_reset_requested", data: {} });
    });
  }
  return RESET_REQUESTED;
}

export const RESET_LINK_INVALID = "This link is not valid any more: it was used already, or it is older than an hour. Ask for a new one.";

export async function resetPassword(input: { token: string; password: string }, now = new Date()): Promise<{ email: string }> {
  // Hashed before the transaction: argon2 takes a while, and the row lock should not.
  const passwordHash = await hashPassword(input.password);
  const email = await db.$transaction(async (tx) => {
    const used = await useEmailToken(tx, input.token, "RESET_PASSWORD", now);
    if (!used) throw new AppError("NOT_FOUND", RESET_LINK_INVALID);
    const user = await tx.user.findUnique({ where: { id: used.userId }, select: { email: true, emailVerified: true } });
    if (!user || user.email !== used.email) throw new AppError("NOT_FOUND", RESET_LINK_INVALID);
    await tx.user.update({
      where: { id: used.userId },
      data: { passwordHash, ...(user.emailVerified ? {} : { emailVerified: new Date() }) },
    });
    await endAllSessions(tx, used.userId, now);
    await recordAudit(tx, { actorId: used.userId, action: "user.password_reset", data: {} });
    return user.email;
  });
  // Whoever locked the account out with wrong guesses no longer keeps its owner out.
  await reset(SIGN_IN_PER_ACCOUNT, hashedKey(email));
  return { email };
}
