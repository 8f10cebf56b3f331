// Single-use links sent by mail (verify an address, reset a password, confirm a new address).
// The token is 32 random bytes in the link; only its sha256 is stored. Using one claims it with
// a conditional update, so two clicks at once cannot both succeed.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { EmailTokenPurpose } from "@/generated/prisma/enums";
import { db } from "@/server/db/client";

export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  VERIFY_EMAIL: 48 * 3600_000,
  RESET_PASSWORD: 3600_000,
  CHANGE_EMAIL: 24 * 3600_000,
};

export const hashEmailToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Token lengths a link may carry; anything else is not looked up. */
export const plausibleToken = (token: string) => /^[A-Za-z0-9_-]{40,60}$/.test(token);

export async function createEmailToken(
  tx: Prisma.TransactionClient,
  input: { userId: string; purpose: EmailTokenPurpose; email: string; now?: Date },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = input.now ?? new Date();
  // An earlier unused link of the same kind stops working: only the newest mail counts.
  await tx.emailToken.updateMany({ where: { userId: input.userId, purpose: input.purpose, usedAt: null }, data: { usedAt: now } });
  await tx.emailToken.create({
    data: {
      userId: input.userId,
      purpose: input.purpose,
      email: input.email,
      tokenHash: hashEmailToken(token),
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[input.purpose]),
    },
  });
  return token;
}

/** A valid, unused token of this purpose, claimed inside `tx`; null for anything else. */
export async function useEmailToken(tx: Prisma.TransactionClient, token: string, purpose: EmailTokenPurpose, now = new Date()) {
  if (!plausibleToken(token)) return null;
  const row = await tx.emailToken.findUnique({ where: { tokenHash: hashEmailToken(token) } });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= now) return null;
  const { count } = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  return count === 1 ? row : null;
}

/** Whether a link is still good, without using it (the page that shows the form). */
export async function peekEmailToken(token: string, purpose: EmailTokenPurpose) {
  if (!plausibleToken(token)) return false;
  const row = await db.emailToken.findUnique({ where: { tokenHash: hashEmailToken(token) }, select: { purpose: true, usedAt: true, expiresAt: true } });
  return Boolean(row && row.purpose === purpose && !row.usedAt && row.expiresAt > new Date());
}
