// Verifying the address of an account: a link at sign-up (and again on request). Until it is
// verified, an account can do what needs no trust (look around, contribute, accept invitations)
// but cannot own a community, and Hearth sends it no mail but account mail.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { queueEmail } from "@/server/mail/queue-email";
import { consume, minutesText } from "@/server/rate-limit/rate-limit";
import { publicUrl } from "@/server/site/public-url";
import { recordAudit } from "@/server/audit/record-audit";
import { createEmailToken, useEmailToken } from "./email-tokens";
import type { Limit } from "@/server/rate-limit/rate-limit";

export const VERIFICATION_RESENDS: Limit = { bucket: "verify-email:account", max: 5, windowSeconds: 60 * 60 };

/** Queues a verification mail inside the caller's transaction (sign-up). */
export async function queueVerification(tx: Prisma.TransactionClient, user: { id: string; email: string }) {
  const token = await createEmailToken(tx, { userId: user.id, purpose: "VERIFY_EMAIL", email: user.email });
  await queueEmail(tx, {
    kind: "account.verify_email",
    toEmail: user.email,
    toUserId: user.id,
    data: {},
    secrets: { url: publicUrl(`/verify-email/${token}`) },
    dedupeKey: `verify:${user.id}:${Date.now()}:${token.slice(0, 8)}`,
  });
}

export async function isEmailVerified(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  return Boolean(user?.emailVerified);
}

/** "Send the link again", for a signed-in person whose address is not verified yet. */
export async function resendVerification(userId: string): Promise<{ email: string }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, emailVerified: true } });
  if (user.emailVerified) throw new AppError("CONFLICT", "Your email address is already confirmed.");
  const limited = await consume(VERIFICATION_RESENDS, user.id);
  if (!limited.allowed) throw new AppError("RATE_LIMITED", `We sent several links already. Try again in ${minutesText(limited.retryAfterSeconds)}.`);
  await db.$transaction((tx) => queueVerification(tx, user));
  return { email: user.email };
}

/** Uses a verification link: the account's address is verified if the link was sent to it. */
export async function verifyEmail(token: string): Promise<{ email: string }> {
  return db.$transaction(async (tx) => {
    const used = await useEmailToken(tx, token, "VERIFY_EMAIL");
    if (!used) throw new AppError("NOT_FOUND", "This confirmation link is not valid any more. Sign in and ask for a new one.");
    const user = await tx.user.findUnique({ where: { id: used.userId }, select: { email: true, emailVerified: true } });
    // The account changed its address since: the link confirmed the old one, which is no longer in use.
    if (!user || user.email !== used.email) throw new AppError("NOT_FOUND", "This confirmation link is not valid any more. Sign in and ask for a new one.");
    if (!user.emailVerified) {
      await tx.user.update({ where: { id: used.userId }, data: { emailVerified: new Date() } });
      await recordAudit(tx, { actorId: used.userId, action: "user.email_verified", data: {} });
    }
    return { email: user.email };
  });
}
