// Changing the address of an account: confirmed by a link sent to the new address (so nobody
// can move an account to an address they do not hold), with a notice to the old one once done.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { queueEmail } from "@/server/mail/queue-email";
import { consume, minutesText, type Limit } from "@/server/rate-limit/rate-limit";
import { publicUrl } from "@/server/site/public-url";
import { recordAudit } from "@/server/audit/record-audit";
import { createEmailToken, useEmailToken } from "./email-tokens";
import { verifyPassword } from "./password";

export const EMAIL_CHANGES: Limit = { bucket: "email-change:account", max: 5, windowSeconds: 60 * 60 };
const TAKEN = "Another account uses this address.";

export async function requestEmailChange(userId: string, input: { email: string; password: string }): Promise<{ email: string }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, passwordHash: true } });
  if (user.passwordHash && !(await verifyPassword(user.passwordHash, input.password))) {
    throw new AppError("FORBIDDEN", "Some fields need attention.", { password: "This is not your current password." });
  }
  if (input.email === user.email) throw new AppError("UNPROCESSABLE", "Some fields need attention.", { email: "This is already your address." });
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new AppError("CONFLICT", "Some fields need attention.", { email: TAKEN });
  }
  const limited = await consume(EMAIL_CHANGES, user.id);
  if (!limited.allowed) throw new AppError("RATE_LIMITED", `You asked for several changes already. Try again in ${minutesText(limited.retryAfterSeconds)}.`);
  await db.$transaction(async (tx) => {
    const token = await createEmailToken(tx, { userId: user.id, purpose: "CHANGE_EMAIL", email: input.email });
    await queueEmail(tx, {
      kind: "account.email_change_confirm",
      toEmail: input.email,
      toUserId: user.id,
      data: { oldEmail: user.email },
      secrets: { url: publicUrl(`/confirm-email/${token}`) },
      dedupeKey: `email-change:${user.id}:${token.slice(0, 12)}`,
    });
    await recordAudit(tx, { actorId: user.id, action: "user.email_change_requested", data: {} });
  });
  return { email: input.email };
}

export async function confirmEmailChange(token: string): Promise<{ email: string }> {
  try {
    return await db.$transaction(async (tx) => {
      const used = await useEmailToken(tx, token, "CHANGE_EMAIL");
      if (!used) throw new AppError("NOT_FOUND", "This link is not valid any more. Ask for the change again from your settings.");
      const before = await tx.user.findUniqueOrThrow({ where: { id: used.userId }, select: { email: true } });
      await tx.user.update({ where: { id: used.userId }, data: { email: used.email, emailVerified: new Date() } });
      await queueEmail(tx, {
        kind: "account.email_change_notice",
        toEmail: before.email,
        toUserId: used.userId,
        data: { newEmail: used.email },
        dedupeKey: `email-changed:${used.id}`,
      });
      await recordAudit(tx, { actorId: used.userId, action: "user.email_changed", data: {} });
      return { email: used.email };
    });
  } catch (error) {
    // Someone took the address between the request and the click.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AppError("CONFLICT", TAKEN);
    throw error;
  }
}
