import "server-only";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { consume, hashedKey, minutesText, release, reset } from "@/server/rate-limit/rate-limit";
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS } from "./limits";
import { verifyPassword } from "./password";
import type { SignInInput } from "./schemas";

// One message for an unknown email, a wrong password and an account without a password.
export const WRONG_CREDENTIALS = "Email or password is wrong.";

function tooMany(seconds: number) {
  return new AppError("RATE_LIMITED", `Too many failed sign-ins. Try again in ${minutesText(seconds)}.`);
}

/**
 * Checks an email and password. Every attempt is counted against the account (known or not)
 * and the client address before the password is looked at; a right answer takes its count
 * back and clears the account's failures.
 */
export async function verifyCredentials(input: SignInInput, context: { address: string }) {
  const accountKey = hashedKey(input.email);
  const byAddress = await consume(SIGN_IN_PER_ADDRESS, context.address);
  if (!byAddress.allowed) throw tooMany(byAddress.retryAfterSeconds);
  const byAccount = await consume(SIGN_IN_PER_ACCOUNT, accountKey);
  if (!byAccount.allowed) {
    await release(byAddress.hitId);
    throw tooMany(byAccount.retryAfterSeconds);
  }

  const user = await db.user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
    throw new AppError("UNAUTHENTICATED", WRONG_CREDENTIALS);
  }
  await release(byAddress.hitId);
  await reset(SIGN_IN_PER_ACCOUNT, accountKey);
  return { id: user.id, email: user.email, name: user.name };
}
