// The host admins' second factor: TOTP enrolment with recovery codes, and the check that
// marks a session as having passed it. Only a named host admin with a verified email may
// enrol; the admin area opens only to a session that passed (actor.ts).
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/server/db/client";
import { seal, unseal } from "@/server/crypto/seal";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import { consume, hashedKey, minutesText, reset } from "@/server/rate-limit/rate-limit";
import { isNamedHostAdmin } from "../actor";
import { REAUTH_PER_ACCOUNT } from "../limits";
import { verifyPassword } from "../password";
import type { Actor } from "../permissions";
import { markSecondFactorPassed } from "../sessions";
import { matchTotp, newTotpSecret, otpauthUri } from "./totp";

export const RECOVERY_CODE_COUNT = 10;
const context = (userId: string) => `totp:${userId}`;
const hashCode = (code: string) => createHash("sha256").update(code.toLowerCase().replace(/[^a-z0-9]/g, "")).digest("hex");

/** Ten codes like "k7qm-2xdp-9fhw": 60 bits each, shown once, kept only as hashes. */
function newRecoveryCodes(): string[] {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

async function enrollable(actor: Actor) {
  const user = await db.user.findUnique({
    where: { id: actor.id },
    select: { email: true, isHostAdmin: true, emailVerified: true, passwordHash: true, totp: { select: { confirmedAt: true } } },
  });
  // Nobody else has any use for this page: it does not exist for them.
  if (!user || !isNamedHostAdmin(user) || !user.emailVerified) throw new AppError("NOT_FOUND", "This page could not be found.");
  return user;
}

async function limited(userId: string) {
  const result = await consume(REAUTH_PER_ACCOUNT, hashedKey(`2fa:${userId}`));
  if (!result.allowed) throw new AppError("RATE_LIMITED", `Too many wrong codes. Try again in ${minutesText(result.retryAfterSeconds)}.`);
}

export type Enrolment = { enrolled: true } | { enrolled: false; secret: string; uri: string; needsPassword: boolean };

/** The enrolment in progress (a secret not yet confirmed), started if there is none. */
export async function startTotpEnrolment(actor: Actor): Promise<Enrolment> {
  const user = await enrollable(actor);
  if (user.totp?.confirmedAt) return { enrolled: true };
  const pending = await db.userTotp.findUnique({ where: { userId: actor.id }, select: { secret: true } });
  const secret = pending ? unseal(pending.secret, context(actor.id)) : newTotpSecret();
  if (!pending) {
    await db.userTotp.create({ data: { userId: actor.id, secret: seal(secret, context(actor.id)) } });
  }
  return { enrolled: false, secret, uri: otpauthUri({ issuer: "Hearth", account: user.email, secret }), needsPassword: Boolean(user.passwordHash) };
}

/**
 * Confirms enrolment with the password (a stolen session alone cannot bind the attacker's
 * authenticator) and a first code; returns the recovery codes, shown once. This session has
 * then passed the second factor.
 */
export async function confirmTotpEnrolment(actor: Actor, input: { password?: string; code: string }, now = new Date()): Promise<string[]> {
  const user = await enrollable(actor);
  if (user.totp?.confirmedAt) throw new AppError("CONFLICT", "Two-factor sign-in is already set up for your account.");
  await limited(actor.id);
  if (user.passwordHash && !(await verifyPassword(user.passwordHash, input.password ?? ""))) {
    throw new AppError("UNPROCESSABLE", "Your password is wrong.", { password: "Your password is wrong." });
  }
  const pending = await db.userTotp.findUnique({ where: { userId: actor.id }, select: { secret: true } });
  if (!pending) throw new AppError("CONFLICT", "Start again: open this page to get a new key.");
  const step = matchTotp(unseal(pending.secret, context(actor.id)), input.code, now.getTime(), null);
  if (step === null) throw new AppError("UNPROCESSABLE", "That code is not right.", { code: "That code is not right: check the time on your device." });
  const codes = newRecoveryCodes();
  await db.$transaction(async (tx) => {
    await tx.userTotp.update({ where: { userId: actor.id }, data: { confirmedAt: now, lastUsedStep: step } });
    await tx.recoveryCode.deleteMany({ where: { userId: actor.id } });
    await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId: actor.id, codeHash: hashCode(code) })) });
    await recordAudit(tx, { actorId: actor.id, action: "user.two_factor_enrolled", data: {} });
  });
  if (actor.sessionId) await markSecondFactorPassed(actor.sessionId, now);
  await reset(REAUTH_PER_ACCOUNT, hashedKey(`2fa:${actor.id}`));
  return codes;
}

/**
 * Checks a TOTP code (each works once) or an unused recovery code, and marks this session as
 * having passed the second factor. Wrong codes are limited per account, with a growing delay.
 */
export async function verifySecondFactor(actor: Actor, code: string, now = new Date()): Promise<{ recoveryCodesLeft: number | null }> {
  if (!actor.sessionId) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  const totp = await db.userTotp.findUnique({ where: { userId: actor.id }, select: { secret: true, confirmedAt: true, lastUsedStep: true } });
  if (!totp?.confirmedAt) throw new AppError("NOT_FOUND", "This page could not be found.");
  await limited(actor.id);
  const typed = code.trim();
  let recoveryCodesLeft: number | null = null;
  const step = matchTotp(unseal(totp.secret, context(actor.id)), typed, now.getTime(), totp.lastUsedStep);
  if (step !== null) {
    // Conditional: two requests racing with the same code cannot both pass.
    const { count } = await db.userTotp.updateMany({
      where: { userId: actor.id, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step },
    });
    if (count === 0) throw new AppError("UNPROCESSABLE", "That code was used already.", { code: "That code was used already: wait for the next one." });
  } else {
    const { count } = await db.recoveryCode.updateMany({ where: { userId: actor.id, codeHash: hashCode(typed), usedAt: null }, data: { usedAt: now } });
    if (count === 0) throw new AppError("UNPROCESSABLE", "That code is not right.", { code: "That code is not right: check the time on your device." });
    recoveryCodesLeft = await db.recoveryCode.count({ where: { userId: actor.id, usedAt: null } });
    await recordAudit(db, { actorId: actor.id, action: "user.recovery_code_used", data: { left: recoveryCodesLeft } });
  }
  await markSecondFactorPassed(actor.sessionId, now);
  await reset(REAUTH_PER_ACCOUNT, hashedKey(`2fa:${actor.id}`));
  return { recoveryCodesLeft };
}
